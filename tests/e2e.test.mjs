// End-to-end: the release build in headless Chromium, as a person and as a
// script would use it. Run by `.ci/test.sh` after `trunk build --release`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dist, shots } from './paths.mjs';
import { serve } from './server.mjs';
import { launch, openPlayground } from './browser.mjs';


let isolatedServer, plainServer, browser;

before(async () => {
  isolatedServer = await serve(dist, { isolated: true });
  plainServer = await serve(dist, { isolated: false });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await isolatedServer?.close();
  await plainServer?.close();
});

/** The truth, computed here independently: prime count and product digits. */
function expectedPrimes(n) {
  const sieve = new Uint8Array(n).fill(1);
  let count = 0;
  let log10 = 0;
  for (let i = 2; i < n; i++) {
    if (!sieve[i]) continue;
    count++;
    log10 += Math.log10(i);
    for (let k = i * i; k < n; k += i) sieve[k] = 0;
  }
  return { n, count, digits: Math.floor(log10) + 1 };
}

const run = (page, config) => page.evaluate((c) => window.playground.run(c), config);
const runError = (page, config) =>
  page.evaluate((c) => window.playground.run(c).then(() => 'resolved', (e) => String(e.message ?? e)), config);

test('the page is cross-origin isolated and ready with a thread pool', async () => {
  const page = await openPlayground(browser.context, isolatedServer.url);
  const info = await page.evaluate(() => window.playground.ready);
  assert.equal(info.isolated, true);
  assert.equal(info.build, 'threads');
  assert.ok(info.cores >= 1);
  assert.deepEqual(info.models, ['serial', 'threads', 'processes', 'async', 'per-task', 'batches', 'pipeline', 'dataflow']);
  await page.waitForSelector('#env[data-state=ready]');
  assert.equal(await page.getAttribute('#isolated', 'data-isolated'), 'true');
  const catalog = await page.evaluate(() => window.playground.scenarios());
  assert.equal(catalog[0].id, 'primes');
  assert.deepEqual(catalog[0].params[0].default, [50328, 22756, 39371, 44832]);
  await page.close();
});

test('primes gives identical, correct results in every model and worker count', async () => {
  const page = await openPlayground(browser.context, isolatedServer.url);
  const limits = [6007, 2, 3001, 4500, 97, 1];
  const truth = limits.map(expectedPrimes).map((e, i) => ({ ...e, n: limits[i], count: limits[i] < 2 ? 0 : e.count, digits: limits[i] < 3 ? 1 : e.digits }));
  const configs = [{ model: 'serial' }];
  for (const workers of [1, 2, 3, 5]) {
    configs.push({ model: 'threads', workers, gil: 'off' });
    configs.push({ model: 'threads', workers, gil: 'on' });
    configs.push({ model: 'processes', workers });
  }
  configs.push({ model: 'threads', workers: 32, gil: 'off' });
  let reference;
  for (const c of configs) {
    const record = await run(page, { scenario: 'primes', params: { limits }, ...c });
    const label = JSON.stringify(c);
    assert.equal(record.error, undefined, label);
    assert.equal(record.model, c.model);
    const items = record.result.items.map(({ n, count, digits }) => ({ n, count, digits }));
    assert.deepEqual(items, truth, label);
    reference ??= record.result;
    assert.deepEqual(record.result, reference, `${label} differs from serial`);
    const taskSpans = record.tasks.filter((t) => t.id !== null);
    assert.equal(taskSpans.length, limits.length, label);
    const lanes = new Set(taskSpans.map((t) => t.worker));
    assert.ok([...lanes].every((w) => w < (c.workers ?? 1)), `${label}: worker lanes within the pool`);
    assert.ok(record.wall_ms > 0 && record.cpu_ms > 0, label);
    if (c.model === 'processes') {
      const spawns = record.tasks.filter((t) => t.id === null && t.phases[0].kind === 'spawn');
      assert.equal(spawns.length, c.workers, `${label}: one spawn span per isolated worker`);
    }
  }
  // The tutorial's own limits, once: counts against the sieve.
  const record = await run(page, { scenario: 'primes', model: 'threads', workers: 2, gil: 'off' });
  assert.deepEqual(record.result.items.map((i) => i.count), [50328, 22756, 39371, 44832].map((n) => expectedPrimes(n).count));
  await page.close();
});

test('with the GIL on, threads take turns and the waits are recorded', async () => {
  const page = await openPlayground(browser.context, isolatedServer.url);
  const limits = [30000, 30000];
  const on = await run(page, { scenario: 'primes', model: 'threads', workers: 2, gil: 'on', params: { limits } });
  const waits = on.tasks.flatMap((t) => t.phases).filter((p) => p.kind === 'lock-wait');
  assert.ok(waits.length >= 2, `lock-wait phases recorded (${waits.length})`);
  // Holding one lock, the two tasks' compute phases never overlap.
  const [a, b] = on.tasks.map((t) => t.phases.filter((p) => p.kind === 'compute'));
  for (const x of a) for (const y of b) {
    assert.ok(x.end_ms <= y.start_ms + 0.5 || y.end_ms <= x.start_ms + 0.5, 'compute phases overlap under the GIL');
  }
  await page.close();
});

test('a person runs the default comparison from the page', async () => {
  const page = await openPlayground(browser.context, isolatedServer.url);
  await page.waitForSelector('#run:not([disabled])');
  await page.fill('#limits', '20000, 12000, 16000, 18000');
  await page.fill('#workers', '2');
  await page.press('#workers', 'Tab');
  await page.click('#run');
  await page.waitForSelector('#progress', { timeout: 10_000 });
  await page.waitForSelector('#timings tbody tr:nth-child(3)', { timeout: 60_000 });
  await page.waitForSelector('#run:not([disabled])');
  const rows = await page.$$eval('#timings tbody tr', (trs) => trs.map((tr) => tr.dataset.model));
  assert.deepEqual(rows, ['serial', 'threads', 'processes']);
  assert.match(await page.textContent('#items caption'), /identical in every model/);
  assert.equal(await page.$$eval('#wall-chart svg g.row', (g) => g.length), 3);
  assert.match(await page.textContent('#wall-chart'), /vs serial/);
  const href = await page.getAttribute('#run-link', 'href');
  assert.match(href, /scenario=primes/);
  assert.match(href, /run=1/);
  assert.match(page.url(), /limits=20000%2C12000%2C16000%2C18000/);
  await page.screenshot({ path: `${shots}/after-run.png`, fullPage: true });
  await page.close();
});

test('a link with run=1 reproduces a run when opened', async () => {
  const page = await openPlayground(browser.context,
    `${isolatedServer.url}?scenario=primes&models=serial,processes&workers=2&gil=off&limits=3000%2C2000&run=1`);
  await page.waitForSelector('#timings tbody tr:nth-child(2)', { timeout: 30_000 });
  assert.equal(await page.inputValue('#limits'), '3000,2000');
  assert.equal(await page.inputValue('#workers'), '2');
  assert.equal(await page.isChecked('#gil'), false);
  await page.close();
});

test('Stop during a long run returns the page to ready within a second, and the next run works', async () => {
  const page = await openPlayground(browser.context, isolatedServer.url);
  // Ready first: this is about stopping a run that is going on.
  await page.evaluate(() => window.playground.ready);
  for (const model of ['serial', 'threads', 'processes']) {
    await page.evaluate((m) => { window.__long = window.playground.run({ scenario: 'primes', model: m, workers: 2, gil: 'off', params: { limits: [200000, 200000, 200000] } }).catch((e) => e); }, model);
    await page.waitForTimeout(700);
    const t0 = Date.now();
    await page.evaluate(() => window.playground.stop());
    const outcome = await page.evaluate(() => window.__long);
    const stoppedIn = Date.now() - t0;
    assert.ok(stoppedIn < 3000, `${model}: stopped in ${stoppedIn} ms (the run needs several seconds more)`);
    const message = outcome.error ?? outcome.message ?? String(outcome);
    assert.match(message, /Stopped/, `${model}: the run reports it was stopped`);
    const next = await run(page, { scenario: 'primes', model, workers: 2, params: { limits: [1000] } });
    assert.equal(next.result.items[0].count, 168, `${model}: the next run succeeds`);
  }
  // The same through the buttons.
  await page.fill('#limits', '200000,200000');
  await page.click('#run');
  await page.waitForSelector('#stop:not([disabled])');
  await page.waitForTimeout(500);
  await page.click('#stop');
  await page.waitForSelector('#run:not([disabled])', { timeout: 1000 });
  assert.match(await page.textContent('.notice'), /Stopped/);
  await page.close();
});

test('bad parameters get a readable message naming the parameter', async () => {
  const page = await openPlayground(browser.context, isolatedServer.url);
  assert.match(await runError(page, { scenario: 'primes', model: 'threads', workers: 0 }), /workers.*1 to 32/);
  assert.match(await runError(page, { scenario: 'primes', model: 'threads', workers: 33 }), /workers.*1 to 32/);
  assert.match(await runError(page, { scenario: 'primes', params: { limits: [0, 5] } }), /limits.*1 to 200000/);
  assert.match(await runError(page, { scenario: 'primes', params: { limits: 'a,b' } }), /limits/);
  assert.match(await runError(page, { scenario: 'primes', model: 'gpu' }), /model.*serial, threads, processes/);
  assert.match(await runError(page, { scenario: 'nope' }), /scenario.*primes/);
  assert.match(await runError(page, { scenario: 'primes', gil: 'maybe' }), /gil/);
  // In the page: an alert names the parameter; the page stays usable.
  await page.waitForSelector('#run:not([disabled])');
  await page.fill('#limits', '10, banana');
  await page.click('#run');
  assert.match(await page.textContent('.errors'), /limits/);
  await page.fill('#limits', '100');
  await page.click('#run');
  await page.waitForSelector('#timings tbody tr');
  await page.close();
  // In a link.
  const linked = await openPlayground(browser.context, `${isolatedServer.url}?scenario=primes&workers=99&limits=5`);
  await linked.waitForSelector('.errors');
  assert.match(await linked.textContent('.errors'), /workers.*1 to 32/);
  await linked.close();
});

// A page that cannot be isolated: plain.test.mjs.
