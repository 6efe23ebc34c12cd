// The page teaches: the Python behind each run, a reading of its figures,
// run history across reloads, narrow screens, both themes, and no
// accessibility violations (axe-core) on any scenario after a run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { shots, dist } from './paths.mjs';
import { launch, openPlayground } from './browser.mjs';
import { serve } from './server.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server, browser;

before(async () => {
  server = await serve(dist, { isolated: true });
  // axe is injected by the test, which a strict CSP would refuse.
  browser = await launch({ bypassCSP: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Small runs of every scenario: link, and the Python construct per model. */
const SCENARIOS = {
  primes: 'scenario=primes&models=serial,threads,processes,async&workers=2&limits=3000,2000',
  sample: 'scenario=sample&models=serial,threads,processes,async&workers=2&k=1000',
  factorial: 'scenario=factorial&models=serial,threads,processes,async&workers=2&n=10',
  'pool-overhead': 'scenario=pool-overhead&models=serial,threads,processes,async&workers=2&unit_ms=5&repeats=1',
  'shared-state': 'scenario=shared-state&models=serial,threads,processes,async&workers=2&increments=1000',
  quadrants: 'scenario=quadrants&models=threads&workers=2&tasks=2&wait_ms=20&work=5000',
  downloads: 'scenario=downloads&models=serial,threads,per-task,batches,async,processes&preset=pages&latency_ms=20&limit=2',
  pipeline: 'scenario=pipeline&models=pipeline&variant=5&cpucount=2&scale_ms=2',
  wordcount: 'scenario=wordcount&models=serial,dataflow&procs=2&threads_per_proc=2',
};
const CONSTRUCT = {
  serial: /list\(map\(task, |\n\s+for x in [^\n]+:\n\s+task\(x\)|MODEL == "serial"/,
  threads: /ThreadPoolExecutor\(max_workers=2\)/,
  processes: /ProcessPoolExecutor\(max_workers=2, mp_context=context\)/,
  async: /asyncio\.Semaphore\(2\)/,
  'per-task': /threading\.Thread\(target=work/,
  batches: /for first in range\(0, len\(items\), 2\)/,
  pipeline: /START\.Process\(target=pool_worker/,
  dataflow: /ProcessPoolExecutor\(max_workers=PROCS, mp_context=START\)[\s\S]*PROCS = 2|PROCS = 2[\s\S]*ProcessPoolExecutor\(max_workers=PROCS, mp_context=START\)/,
};
/** The worker count the program's header names, per model of a link. */
const workersOf = (scenario, model) => {
  if (scenario === 'downloads' && model === 'per-task') return 6; // a thread per file
  if (model === 'serial' && scenario !== 'quadrants') return 1;
  return 2;
};

async function openRun(query, { width = 1100 } = {}) {
  const page = await openPlayground(browser.context, `${server.url}?${query}&run=1`);
  await page.setViewportSize({ width, height: 900 });
  await page.waitForSelector('#python-code', { timeout: 90_000 });
  await page.waitForSelector('#run:not([disabled])', { timeout: 90_000 });
  return page;
}

async function axeViolations(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

test('the Python tab of every scenario and model names its construct and the run\'s worker count', async () => {
  for (const [scenario, query] of Object.entries(SCENARIOS)) {
    const page = await openRun(query);
    const models = new URLSearchParams(query).get('models').split(',');
    const tabs = await page.$$eval('.python [role=tab]', (t) => t.map((b) => b.dataset.model));
    assert.deepEqual([...tabs].sort(), [...models].sort(), `${scenario}: one tab per model`);
    for (const [i, model] of tabs.entries()) {
      await page.click(`#python-tab-${i}`);
      assert.equal(await page.getAttribute(`#python-tab-${i}`, 'aria-selected'), 'true');
      const code = await page.textContent('#python-code');
      // Quadrants is one program of four parts: threads under the GIL, and processes for parallelism.
      const construct = scenario === 'quadrants' ? /threading\.Thread[\s\S]*ProcessPoolExecutor\(max_workers=CORES\)/ : CONSTRUCT[model];
      assert.match(code, construct, `${scenario} ${model}: construct`);
      const n = workersOf(scenario, model);
      assert.match(code, new RegExp(`^# This run: .*, ${n} workers?[,.]`, 'm'), `${scenario} ${model}: ${n} workers named\n${code.slice(0, 300)}`);
      assert.ok(!code.includes('{{'), 'every placeholder filled');
    }
    // The keyboard moves between tabs too.
    await page.click('#python-tab-0');
    await page.keyboard.press('ArrowRight');
    if (models.length > 1) assert.equal(await page.getAttribute('#python-tab-1', 'aria-selected'), 'true', `${scenario}: ArrowRight moves to the next tab`);
    await page.close();
  }
});

test('the reading follows the figures: GIL on and off on primes read differently', async () => {
  const read = async (gil) => {
    const page = await openRun(`scenario=primes&models=serial,threads&workers=2&gil=${gil}&limits=20000,20000`);
    const text = await page.textContent('#reading');
    const wall = await page.$$eval('#timings tbody tr', (rows) => rows.map((r) => r.cells[1].textContent));
    await page.close();
    return { text, wall };
  };
  const on = await read('on');
  const off = await read('off');
  assert.notEqual(on.text, off.text);
  assert.match(on.text, /GIL on/);
  assert.match(on.text, /waiting for the lock/);
  assert.doesNotMatch(off.text, /waiting for the lock/);
  for (const r of [on, off]) {
    // Its numbers are the table's.
    // (the table shows tenths, the sentence whole ms: either neighbour)
    const ms = Number(r.wall[0]);
    const named = [Math.floor(ms), Math.ceil(ms)].some((n) => r.text.includes(`${n} ms`));
    assert.ok(named, `${r.text} names serial's ${ms} ms`);
  }
});

test('history keeps runs across a reload, compares two, exports and clears', async () => {
  let page = await openRun('scenario=primes&models=serial,processes&workers=2&limits=3000,2000');
  await page.reload();
  await page.waitForSelector('#history-table');
  const rows = await page.$$eval('#history-table tbody tr', (r) => r.length);
  assert.ok(rows >= 2, `${rows} runs kept after the reload`);
  const boxes = await page.$$('#history-table tbody input[type=checkbox]');
  await boxes[0].check();
  await boxes[1].check();
  const compared = await page.textContent('#history-compare');
  assert.match(compared, /processes ×2/);
  assert.match(compared, /serial/);
  assert.match(compared, /the wall time of the first/);
  const download = page.waitForEvent('download');
  await page.click('#history-csv');
  const csv = readFileSync(await (await download).path(), 'utf8');
  assert.match(csv, /^at_ms,scenario,params,model,workers,gil,wall_ms,cpu_ms,speedup\n/);
  assert.ok(csv.trim().split('\n').length >= rows + 1);
  await page.click('#history-clear');
  assert.equal(await page.$$eval('#history-table', (t) => t.length), 0);
  await page.reload();
  await page.waitForSelector('.history');
  assert.match(await page.textContent('#history-title'), /\(0\)/, 'cleared for good');
  await page.close();
});

test('at 360 px no scenario scrolls sideways, and axe finds no violations in either theme', async () => {
  for (const [scenario, query] of Object.entries(SCENARIOS)) {
    const page = await openRun(query, { width: 360 });
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.equal(widths[0], widths[1], `${scenario}: page ${widths[0]} px wide at a ${widths[1]} px viewport`);
    for (const theme of ['light', 'dark']) {
      await page.selectOption('#theme', theme);
      assert.equal(await page.getAttribute('html', 'data-theme'), theme);
      await page.setViewportSize({ width: 1100, height: 900 });
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${scenario}, ${theme}`);
      if (['primes', 'pipeline', 'downloads'].includes(scenario)) {
        await page.screenshot({ path: `${shots}/teach-${scenario}-${theme}.png`, fullPage: true });
        await page.setViewportSize({ width: 360, height: 800 });
        await page.screenshot({ path: `${shots}/teach-${scenario}-${theme}-360.png`, fullPage: true });
      }
      await page.setViewportSize({ width: 360, height: 800 });
    }
    await page.close();
  }
});

test('the theme choice is remembered, and a link\'s theme wins for its page', async () => {
  let page = await openPlayground(browser.context, `${server.url}?scenario=primes`);
  await page.selectOption('#theme', 'dark');
  await page.reload();
  await page.waitForSelector('#theme');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.equal(await page.inputValue('#theme'), 'dark');
  await page.close();
  page = await openPlayground(browser.context, `${server.url}?scenario=primes&theme=light`);
  await page.waitForSelector('#theme');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  await page.selectOption('#theme', 'auto');
  assert.equal(await page.getAttribute('html', 'data-theme'), null, 'auto follows prefers-color-scheme');
  await page.close();
});

test('the word count\'s dataflow offers a Bytewax program: the tab, Copy, Download and python(config) give the same text', async () => {
  const page = await openRun('scenario=wordcount&models=serial,dataflow&procs=2&threads_per_proc=2');
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  const models = await page.$$eval('.python [role=tab]', (t) => t.map((b) => b.dataset.model));
  // Serial has one program, and no switch.
  await page.click(`#python-tab-${models.indexOf('serial')}`);
  assert.equal(await page.isVisible('.python .programs'), false, 'serial: the standard library only');
  await page.click(`#python-tab-${models.indexOf('dataflow')}`);
  assert.deepEqual(await page.$$eval('.python .programs button', (b) => b.map((x) => x.textContent)), ['Standard library', 'Bytewax']);
  await page.click('.python .programs button[data-program=Bytewax]');
  assert.equal(await page.getAttribute('.python .programs button[data-program=Bytewax]', 'aria-pressed'), 'true');
  const code = await page.textContent('#python-code');
  assert.match(code, /op\.reduce_final\("reduce"/);
  assert.match(code, /PARTS = 4/);
  assert.match(code, /-w 2 -i 1 -a "127\.0\.0\.1:2101;127\.0\.0\.1:2102"/);
  assert.match(await page.textContent('#bytewax-steps'), /partition[\s\S]*local count[\s\S]*exchange[\s\S]*reduce/);

  await page.click('#copy-python');
  await page.waitForFunction(() => document.querySelector('.python-actions [role=status]').textContent.includes('copied'));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code, 'Copy gives the text shown');

  const saved = page.waitForEvent('download');
  await page.click('#download-python');
  const file = await saved;
  assert.equal(file.suggestedFilename(), 'wordcount_dataflow_bytewax.py');
  assert.equal(readFileSync(await file.path(), 'utf8'), code, 'Download saves the text shown');

  const config = { scenario: 'wordcount', model: 'dataflow', params: { procs: 2, threads_per_proc: 2 } };
  const programs = await page.evaluate((c) => window.playground.python(c), config);
  assert.deepEqual(programs.map((p) => [p.title, p.filename]), [['Standard library', 'wordcount_dataflow.py'], ['Bytewax', 'wordcount_dataflow_bytewax.py']]);
  assert.equal(programs[1].code, code, 'python(config) gives the text shown');
  const primes = await page.evaluate(() => window.playground.python({ scenario: 'primes', model: 'processes', workers: 3 }));
  assert.deepEqual(primes.map((p) => p.filename), ['primes_processes.py', 'primes_processes_dask.py']);
  assert.match(primes[0].code, /ProcessPoolExecutor\(max_workers=3, mp_context=context\)/);
  assert.match(primes[1].code, /Client\(n_workers=3, threads_per_worker=1\)/);

  // Bad configurations: the same message as a run.
  for (const bad of [{ scenario: 'primes', model: 'threads', workers: 99 }, { scenario: 'nope' }, { scenario: 'primes', start_method: 'fork' }]) {
    const asRun = await page.evaluate((c) => window.playground.run(c).then(() => 'ran', (e) => e.message), bad);
    const asPython = await page.evaluate((c) => window.playground.python(c).then(() => 'gave programs', (e) => e.message), bad);
    assert.equal(asPython, asRun, JSON.stringify(bad));
    assert.notEqual(asPython, 'gave programs');
  }
  await page.close();
});

test('a process pool\'s program comes as a Dask program too: the switch, Copy, Download and python(config) give the same text', async () => {
  const page = await openRun('scenario=primes&models=threads,processes&workers=2&limits=3000,2000');
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  const models = await page.$$eval('.python [role=tab]', (t) => t.map((b) => b.dataset.model));
  // A thread pool has one program, and no switch.
  await page.click(`#python-tab-${models.indexOf('threads')}`);
  assert.equal(await page.isVisible('.python .programs'), false, 'threads: the standard library only');
  await page.click(`#python-tab-${models.indexOf('processes')}`);
  assert.deepEqual(await page.$$eval('.python .programs button', (b) => b.map((x) => x.textContent)), ['Standard library', 'Dask']);
  const standard = await page.textContent('#python-code');
  assert.equal(await page.isVisible('#dask-steps'), false, 'the note goes with the Dask program');
  await page.click('.python .programs button[data-program=Dask]');
  assert.equal(await page.getAttribute('.python .programs button[data-program=Dask]', 'aria-pressed'), 'true');
  const code = await page.textContent('#python-code');
  assert.notEqual(code, standard);
  assert.match(code, /Client\(n_workers=2, threads_per_worker=1\)/);
  assert.match(code, /with client\.get_executor\(pure=False\) as pool:\n\s+results = list\(pool\.map\(task, LIMITS\)\)/);
  assert.match(code, /DASK_SCHEDULER_ADDRESS=tcp:\/\/SCHEDULER:8786 python3 primes_processes_dask\.py/);
  assert.match(code, /LIMITS = \[3000, 2000\]/);
  assert.match(await page.textContent('#dask-steps'), /pool start[\s\S]*task[\s\S]*transfer/);

  await page.click('#copy-python');
  await page.waitForFunction(() => document.querySelector('.python-actions [role=status]').textContent.includes('copied'));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code, 'Copy gives the text shown');

  const saved = page.waitForEvent('download');
  await page.click('#download-python');
  const file = await saved;
  assert.equal(file.suggestedFilename(), 'primes_processes_dask.py');
  assert.equal(readFileSync(await file.path(), 'utf8'), code, 'Download saves the text shown');

  const config = { scenario: 'primes', model: 'processes', workers: 2, params: { limits: [3000, 2000] } };
  const programs = await page.evaluate((c) => window.playground.python(c), config);
  assert.deepEqual(programs.map((p) => [p.title, p.filename]), [['Standard library', 'primes_processes.py'], ['Dask', 'primes_processes_dask.py']]);
  assert.equal(programs[0].code, standard, 'python(config) gives the standard-library text shown');
  assert.equal(programs[1].code, code, 'python(config) gives the Dask text shown');

  // Back to the standard library: the note goes.
  await page.click('.python .programs button[data-program="Standard library"]');
  assert.equal(await page.textContent('#python-code'), standard);
  assert.equal(await page.isVisible('#dask-steps'), false);
  await page.close();
});

test('a saved history of today\'s shape loads; entries that cannot be read are skipped with a note, never a blank page', async () => {
  const today = {
    at_ms: 1764750000000, scenario: 'primes', params: { limits: [3000, 2000] }, model: 'processes',
    workers: 2, gil: 'off', wall_ms: 41.5, cpu_ms: 60.25, speedup: 1.4,
  };
  const page = await openPlayground(browser.context, server.url);
  await page.evaluate(() => window.playground.ready);
  const load = async (stored) => {
    await page.evaluate((text) => localStorage.setItem('playground-history', text), stored);
    await page.reload();
    await page.waitForSelector('.history', { timeout: 60_000 });
    return {
      title: await page.textContent('#history-title'),
      rows: await page.$$eval('#history-table tbody tr', (r) => r.map((x) => x.textContent)),
      notice: await page.$eval('.notice', (n) => n.textContent).catch(() => null),
    };
  };
  const good = await load(JSON.stringify([today]));
  assert.match(good.title, /\(1\)/);
  assert.match(good.rows[0], /primes/);
  assert.equal(good.notice, null, 'nothing to say');

  const mixed = await load(JSON.stringify([today, { broken: true }, 'not an entry', { ...today, model: 'no-such-model' }]));
  assert.match(mixed.title, /\(1\)/, 'the readable entry loads');
  assert.match(mixed.notice, /3 of 4 saved history entries could not be read and were skipped/);
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('playground-history-unreadable')).length), 4, 'kept as it was');

  const garbage = await load('{not json');
  assert.match(garbage.title, /\(0\)/);
  assert.match(garbage.notice, /could not be read/);
  assert.ok(await page.isVisible('#run'), 'the page is there');
  await page.evaluate(() => localStorage.removeItem('playground-history'));
  await page.close();
});
