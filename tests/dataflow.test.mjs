// End-to-end: stages and queues (the report pipeline, S7) and the word-count
// dataflow (S8), against the release build in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { shots } from './paths.mjs';
import { maxInFlight, phasesOf } from './spans.mjs';
import { openPlayground, openSession } from './browser.mjs';

let session, server, browser, page;

before(async () => {
  session = await openSession();
  ({ server, browser, page } = session);
});

after(async () => {
  await session?.close();
});

const run = (config) => page.evaluate((c) => window.playground.run(c), config);
const pipeline = (variant, cpucount, params = {}) =>
  run({ scenario: 'pipeline', model: 'pipeline', params: { variant, cpucount, ...params } });

test('pipeline, report as a wait: every variant takes at least what its schedule implies, with the stages on their own lanes', async () => {
  // The schedule is computed (no timing); measured times are sleeps, so they
  // can only exceed it. How close they come is the benchmark's business.
  const TABLE = [[1, 1], [2, 1], [3, 1], [4, 1], [4, 2], [4, 3], [4, 4], [5, 3], [5, 4], [5, 5], [5, 6], [6, 5]];
  for (const [v, c] of TABLE) {
    const r = await pipeline(v, c);
    assert.equal(r.error, undefined, `variant ${v}/${c}`);
    const { measured_s, expected_s, schedule_s, article_s } = r.result;
    assert.ok(Math.abs(schedule_s - article_s) <= 0.25, `variant ${v} x${c}: the schedule (${schedule_s}) implies the article's ${article_s}`);
    assert.ok(measured_s >= 0.97 * expected_s, `variant ${v} x${c}: measured ${measured_s} s, expected ${expected_s} s`);
    assert.equal(r.result.reports.length, 9, 'nine reports');
    // Reports overlap only where the variant has a pool, and at most cpucount at once.
    const reports = r.tasks.filter((t) => t.label.startsWith('report '));
    const atOnce = maxInFlight(phasesOf(reports, 'sleep'));
    if (v < 4) assert.equal(atOnce, 1, `variant ${v}: one report at a time`);
    else assert.ok(atOnce >= Math.min(c, 3) && atOnce <= c, `variant ${v} x${c}: ${atOnce} reports at once`);
  }
});

test('pipeline, report as CPU work: reports compute on as many lanes as workers, the bound is what the cores allow', async () => {
  const cores = (await page.evaluate(() => window.playground.ready)).cores;
  for (const c of [1, 2, 3]) {
    const r = await pipeline(5, c, { report: 'cpu' });
    assert.equal(r.error, undefined);
    assert.equal(r.result.cores, cores);
    assert.ok(r.result.steps_per_ms > 0, 'the CPU work was calibrated');
    const reports = r.tasks.filter((t) => t.label.startsWith('report'));
    assert.ok(reports.some((t) => t.phases.some((p) => p.kind === 'compute')), 'reports compute');
    const lanes = new Set(reports.filter((t) => t.phases.some((p) => p.kind === 'compute')).map((t) => t.worker));
    assert.equal(lanes.size, c, `${c} worker(s) compute reports`);
    if (c === 1) assert.equal(maxInFlight(phasesOf(reports, 'compute')), 1, 'one worker computes one report at a time');
    else assert.ok(maxInFlight(phasesOf(reports, 'compute')) >= 2, `${c} workers compute reports at once`);
    if (cores === 2 && c === 2) assert.equal(r.result.cpu_bound_s, 32.4, 'reports need 54 s of CPU from 5.4 s on: 5.4 + 54 / 2');
  }
});

test('pipeline timeline: one lane per stage worker, queue waits, poison pills, start-ups', async () => {
  const r = await pipeline(6, 5);
  assert.deepEqual(r.lanes, ['main (caller)', 'import thread', ...[1, 2, 3, 4, 5].map((w) => `report process ${w}`)]);
  const on = (lane) => r.tasks.filter((t) => r.lanes[t.worker] === lane);
  assert.deepEqual(on('main (caller)').map((t) => t.label), ['collect 24h', 'collect 1h', 'collect 5m']);
  assert.deepEqual(on('import thread').filter((t) => t.label.startsWith('import')).map((t) => t.label), ['import 24h', 'import 1h', 'import 5m']);
  assert.ok(on('import thread').some((t) => t.phases.some((p) => p.kind === 'queue-wait')), 'the import thread waits on its queue');
  assert.equal(r.tasks.filter((t) => t.label === 'poison pill: exit').length, 5, 'one pill per pool worker');
  assert.equal(r.tasks.filter((t) => t.phases.some((p) => p.kind === 'spawn')).length, 6, 'the thread and five isolated workers start');
  const reports = r.tasks.filter((t) => t.label.startsWith('report '));
  assert.equal(reports.length, 9);
  // A report of interval i waits 0.1 i tutorial seconds (20 ms each).
  for (const t of reports) {
    const interval = Number(t.label.split('@')[1]);
    const sleep = t.phases.filter((p) => p.kind === 'sleep').reduce((a, p) => a + p.end_ms - p.start_ms, 0);
    assert.ok(sleep >= interval * 2 - 0.5, `${t.label}: slept ${sleep.toFixed(1)} ms`);
  }
  // Reports start only after their endpoint is imported.
  const imported = Object.fromEntries(on('import thread').filter((t) => t.label.startsWith('import')).map((t) => [t.label.split(' ')[1], t.end_ms]));
  for (const t of reports) assert.ok(t.start_ms >= imported[t.label.split(' ')[1].split(' ')[0]] - 0.5, `${t.label} after its import`);
});

test('pipeline: bad parameters are named, and Stop ends a long run', async () => {
  const bad = await page.evaluate(() => window.playground.run({ scenario: 'pipeline', model: 'pipeline', params: { variant: 7 } }).catch((e) => e.message));
  assert.match(bad, /variant.*1 to 6/);
  for (const variant of [3, 5]) {
    await page.evaluate((v) => { window.__long = window.playground.run({ scenario: 'pipeline', model: 'pipeline', params: { variant: v, scale_ms: 200 } }).catch((e) => e); }, variant);
    await page.waitForTimeout(1500);
    const t0 = Date.now();
    await page.evaluate(() => window.playground.stop());
    const outcome = await page.evaluate(() => window.__long);
    // The run would take ~14 s more; Stop ends it at once (or, at worst,
    // after the grace period by restarting the workers).
    assert.ok(Date.now() - t0 < 3000, `variant ${variant} stopped`);
    assert.match(outcome.error ?? outcome.message ?? String(outcome), /Stopped/);
    const next = await pipeline(variant, 3, { scale_ms: 5 });
    assert.equal(next.error, undefined, `variant ${variant}: the next run works`);
    assert.equal(next.result.reports.length, 9);
  }
});

test('pipeline page: the whole table runs from one button and is charted against the article', async () => {
  const ui = await openPlayground(browser.context, `${server.url}?scenario=pipeline&models=pipeline`);
  await ui.waitForSelector('#table:not([disabled])');
  await ui.click('#table');
  await ui.waitForSelector('#table-chart', { timeout: 120_000 });
  await ui.waitForSelector('#run:not([disabled])', { timeout: 120_000 });
  assert.equal(await ui.$$eval('#items tbody tr', (r) => r.length), 12);
  assert.equal(await ui.$$eval('#table-chart rect.article', (r) => r.length), 12);
  assert.match(await ui.textContent('#items'), /variant 6, 5 workers\s*23\.5 s/);
  assert.match(await ui.textContent('#pipeline-note'), /timed waits/);
  await ui.screenshot({ path: `${shots}/pipeline-table.png`, fullPage: true });
  // A link that reproduces one variant, with its timeline and stage lanes.
  await ui.goto(`${server.url}?scenario=pipeline&models=pipeline&variant=4&cpucount=3&report=cpu&run=1`);
  await ui.waitForSelector('#items', { timeout: 60_000 });
  await ui.waitForSelector('#run:not([disabled])', { timeout: 60_000 });
  assert.match(await ui.textContent('#stages'), /report on a fresh pool of 3 isolated workers per batch/);
  assert.match(await ui.textContent('#pipeline-note'), /\d+ cores/);
  assert.ok((await ui.$$eval('#timelines text.label', (t) => t.map((x) => x.textContent))).includes('report process 3'));
  await ui.screenshot({ path: `${shots}/pipeline.png`, fullPage: true });
  await ui.close();
});

test('wordcount: the headlines give 79 words, 69 distinct, in every layout and serially', async () => {
  const layouts = [{ model: 'serial' }, ...[[1, 1], [2, 2], [3, 1], [1, 3], [2, 3]].map(([procs, threads_per_proc]) => ({ model: 'dataflow', params: { procs, threads_per_proc } }))];
  let first;
  for (const l of layouts) {
    const r = await run({ scenario: 'wordcount', model: l.model, params: { ...l.params } });
    assert.equal(r.error, undefined, JSON.stringify(l));
    assert.equal(r.result.total_words, 79, JSON.stringify(l));
    assert.equal(r.result.distinct_words, 69, JSON.stringify(l));
    assert.deepEqual(r.result.top[0], ['the', 4]);
    first ??= r.result.top;
    assert.deepEqual(r.result.top, first, 'the same top words everywhere');
  }
  const own = await run({ scenario: 'wordcount', model: 'dataflow', params: { text: 'To be, or not to be: THAT is the question. To be!', procs: 2, threads_per_proc: 2 } });
  assert.equal(own.result.total_words, 12);
  assert.deepEqual(own.result.top[0], ['to', 3]);
});

test('wordcount dataflow: a corpus counts the same as serially, with partition, local counts, exchange and reduce on the timeline', async () => {
  const params = { preset: 'corpus', corpus_mb: 32 };
  const serial = await run({ scenario: 'wordcount', model: 'serial', params });
  const flow = await run({ scenario: 'wordcount', model: 'dataflow', params: { ...params, procs: 2, threads_per_proc: 2 } });
  assert.ok(serial.result.total_words > 4_000_000);
  for (const key of ['total_words', 'distinct_words', 'top']) assert.deepEqual(flow.result[key], serial.result[key], key);
  assert.ok(flow.result.exchanged_bytes > 0);
  const labels = flow.tasks.map((t) => `${flow.lanes[t.worker]}: ${t.label}`);
  for (const pattern of [/compute worker: partition into 2/, /process 2 · thread 2: count \d/, /process 1 \(thread 1\): combine 2/, /exchange: \d+ partial counts/, /compute worker: reduce 2/]) {
    assert.ok(labels.some((l) => pattern.test(l)), `${pattern} in ${labels.join(' | ')}`);
  }
  const counting = new Set(flow.tasks.filter((t) => t.label.startsWith('count ')).map((t) => t.worker));
  assert.equal(counting.size, 4, 'four threads count');
  const bad = await page.evaluate(() => window.playground.run({ scenario: 'wordcount', model: 'dataflow', params: { procs: 0 } }).catch((e) => e.message));
  assert.match(bad, /procs.*1 to 8/);
  const ui = await openPlayground(browser.context, `${server.url}?scenario=wordcount&models=serial,dataflow&procs=2&threads_per_proc=2&preset=corpus&corpus_mb=4&run=1`);
  await ui.waitForSelector('#items', { timeout: 60_000 });
  await ui.waitForSelector('#run:not([disabled])', { timeout: 60_000 });
  assert.match(await ui.textContent('#items caption'), /identical in every layout/);
  await ui.screenshot({ path: `${shots}/wordcount.png`, fullPage: true });
  await ui.close();
});

test('wordcount: Stop ends a run at once, while the corpus is generated or counted, and the next run works', async () => {
  const cases = [
    ['generating', { model: 'serial', params: { preset: 'corpus', corpus_mb: 200 } }],
    ['counting serially', { model: 'serial', params: { preset: 'corpus', corpus_mb: 200 } }],
    ['counting in processes', { model: 'dataflow', params: { preset: 'corpus', corpus_mb: 200, procs: 1, threads_per_proc: 2 } }],
  ];
  for (const [what, config] of cases) {
    // A stopped generation keeps nothing: generate the corpus once, in full,
    // before stopping its counting.
    if (what === 'counting serially') await run({ scenario: 'wordcount', model: 'serial', params: { preset: 'corpus', corpus_mb: 200 } });
    await page.evaluate((c) => { window.__long = window.playground.run({ scenario: 'wordcount', ...c }).catch((e) => e); }, config);
    await page.waitForTimeout(300);
    const t0 = Date.now();
    await page.evaluate(() => window.playground.stop());
    const outcome = await page.evaluate(() => window.__long);
    // This message comes from the run itself, so the compute worker saw the
    // stop and was not terminated (that says "the workers were terminated").
    assert.match(outcome.error ?? outcome.message ?? String(outcome), /Stopped before all tasks finished/, what);
    assert.ok(Date.now() - t0 < 3000, `${what}: stopped`);
    const next = await run({ scenario: 'wordcount', model: 'dataflow', params: { procs: 2, threads_per_proc: 2 } });
    assert.equal(next.result.total_words, 79, `${what}: the next run works`);
  }
});
