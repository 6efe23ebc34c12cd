// End-to-end: a page that cannot be cross-origin isolated (a host without
// headers, service workers blocked). Everything that needs no shared memory
// runs and gives the isolated page's results; threads are refused with the
// reason, shown once beside the models.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dist, shots } from './paths.mjs';
import { serve } from './server.mjs';
import { launch, openPlayground } from './browser.mjs';

let plain, isolated, plainServer, isolatedServer;

before(async () => {
  plainServer = await serve(dist, { isolated: false });
  isolatedServer = await serve(dist, { isolated: true });
  plain = await launch({ serviceWorkers: 'block' });
  isolated = await launch();
});

after(async () => {
  await plain?.close();
  await isolated?.close();
  await plainServer?.close();
  await isolatedServer?.close();
});

const run = (page, config) => page.evaluate((c) => window.playground.run(c), config);
const rejection = (page, config) =>
  page.evaluate((c) => window.playground.run(c).then(() => 'resolved', (e) => String(e.message ?? e)), config);

test('not isolated: ready says so, and lists only the models that run here', async () => {
  const page = await openPlayground(plain.context, plainServer.url);
  const info = await page.evaluate(() => window.playground.ready);
  assert.equal(info.isolated, false);
  assert.deepEqual(info.models, ['serial', 'processes', 'async', 'pipeline', 'dataflow']);
  assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null, 'no service worker here');
  await page.close();
});

test('not isolated: serial, processes, async, pipeline variant 1 and factorial give the isolated page\'s results', async () => {
  const here = await openPlayground(plain.context, plainServer.url);
  const there = await openPlayground(isolated.context, isolatedServer.url);
  assert.equal((await there.evaluate(() => window.playground.ready)).isolated, true);
  const configs = [
    { scenario: 'primes', model: 'serial', params: { limits: [30000, 2000] } },
    { scenario: 'primes', model: 'processes', workers: 2, params: { limits: [30000, 2000] } },
    { scenario: 'downloads', model: 'async', params: { preset: 'pages', latency_ms: 20, limit: 6 } },
    { scenario: 'factorial', model: 'processes', workers: 3, params: { n: 30 } },
    { scenario: 'wordcount', model: 'dataflow', params: { procs: 2, threads_per_proc: 1 } },
    { scenario: 'pool-overhead', model: 'serial', params: { unit_ms: 20, repeats: 1 } },
  ];
  for (const config of configs) {
    const a = await run(here, config);
    const b = await run(there, config);
    assert.equal(a.error, undefined, JSON.stringify(config));
    assert.equal(a.env.isolated, false);
    // What does not depend on timing: the values, not the finish order.
    const comparable = (r) => ({ 'pool-overhead': r.tasks.length, factorial: r.result.values })[r.scenario] ?? r.result;
    assert.deepEqual(comparable(a), comparable(b), JSON.stringify(config));
  }
  // A sleep leaves its worker idle: slept, not computed.
  const sleepy = await run(here, { scenario: 'pool-overhead', model: 'processes', workers: 5, params: { unit_ms: 50, repeats: 1 } });
  for (const t of sleepy.tasks.filter((t) => t.id > 0)) {
    assert.ok(t.phases.some((p) => p.kind === 'sleep'), `${t.label} sleeps`);
    assert.ok(!t.phases.some((p) => p.kind === 'compute' && p.end_ms - p.start_ms > 20), `${t.label}: no busy wait`);
  }
  const pipeHere = await run(here, { scenario: 'pipeline', model: 'pipeline', params: { variant: 1, scale_ms: 2 } });
  const pipeThere = await run(there, { scenario: 'pipeline', model: 'pipeline', params: { variant: 1, scale_ms: 2 } });
  assert.equal(pipeHere.error, undefined);
  assert.deepEqual(pipeHere.result.reports, pipeThere.result.reports);
  assert.equal(pipeHere.result.schedule_s, pipeThere.result.schedule_s);
  const pool = await run(here, { scenario: 'pipeline', model: 'pipeline', params: { variant: 5, cpucount: 3, scale_ms: 2 } });
  assert.equal(pool.error, undefined, 'a long-lived process pool runs too');
  await here.close();
  await there.close();
});

test('not isolated: thread models are refused with the reason, shown once on the page', async () => {
  const page = await openPlayground(plain.context, `${plainServer.url}?scenario=primes&models=serial,threads,processes&workers=2&limits=3000`);
  await page.evaluate(() => window.playground.ready);
  for (const config of [
    { scenario: 'primes', model: 'threads' },
    { scenario: 'downloads', model: 'batches' },
    { scenario: 'quadrants', model: 'threads' },
    { scenario: 'pipeline', model: 'pipeline', params: { variant: 2 } },
    { scenario: 'wordcount', model: 'dataflow', params: { threads_per_proc: 2 } },
  ]) {
    assert.match(await rejection(page, config), /cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin/s, JSON.stringify(config));
  }
  await page.waitForSelector('#not-isolated');
  assert.equal(await page.$$eval('#not-isolated', (e) => e.length), 1);
  assert.equal(await page.isDisabled('input[name=model][value=threads]'), true, 'threads greyed out');
  assert.equal(await page.isVisible('input[name=model][value=threads]'), true, 'but visible');
  assert.equal(await page.isDisabled('input[name=model][value=processes]'), false);
  // Run from the page: the models that run here run.
  await page.click('#run');
  await page.waitForSelector('#timings tbody tr:nth-child(2)', { timeout: 60_000 });
  await page.waitForSelector('#run:not([disabled])');
  assert.deepEqual(await page.$$eval('#timings tbody tr', (r) => r.map((x) => x.dataset.model)), ['serial', 'processes']);
  await page.screenshot({ path: `${shots}/not-isolated.png`, fullPage: true });
  assert.deepEqual(page.logs.filter((l) => /^(error|pageerror)/.test(l)), []);
  await page.close();
});

test('not isolated: Stop ends a long serial run, and the next run works', async () => {
  const page = await openPlayground(plain.context, plainServer.url);
  await page.evaluate(() => window.playground.ready);
  for (const model of ['serial', 'processes']) {
    await page.evaluate((m) => { window.__long = window.playground.run({ scenario: 'primes', model: m, workers: 2, params: { limits: [200000, 200000, 200000] } }).catch((e) => e); }, model);
    await page.waitForTimeout(700);
    await page.evaluate(() => window.playground.stop());
    const outcome = await page.evaluate(() => window.__long);
    assert.match(outcome.error ?? outcome.message ?? String(outcome), /Stopped/, model);
    const next = await run(page, { scenario: 'primes', model, workers: 2, params: { limits: [1000] } });
    assert.equal(next.result.items[0].count, 168, `${model}: the next run works`);
  }
  await page.close();
});
