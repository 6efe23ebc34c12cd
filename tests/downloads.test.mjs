// End-to-end: the downloads scenario against the app's own latency server
// (its service worker), served by a plain static host with no headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { maxInFlight, phasesOf, timeIn } from './spans.mjs';
import { shots } from './paths.mjs';
import { openPlayground, openSession } from './browser.mjs';

let session, server, browser, page;

before(async () => {
  session = await openSession({ isolated: false });
  ({ server, browser, page } = session);
  assert.equal(session.ready.isolated, true);
});

after(async () => {
  await session?.close();
});

const run = (config) => page.evaluate((c) => window.playground.run(c), config);
const spawnMs = (r) => r.result.files && r.tasks.filter((t) => t.id === null).reduce((m, t) => Math.max(m, t.end_ms), 0);
const downloads = (model, params = {}, extra = {}) =>
  run({ scenario: 'downloads', model, gil: 'off', params: { preset: 'images', latency_ms: 200, ...params }, ...extra });

test('30 files at 200 ms: serial waits for each, pools and async overlap the waits', async () => {
  const serial = await downloads('serial');
  assert.equal(serial.result.files.length, 30);
  assert.ok(serial.wall_ms >= 6000, `serial ${serial.wall_ms.toFixed(0)} ms ≥ 6 s`);
  const reference = serial.result.files;

  const threads = await downloads('threads', { limit: 6 });
  const async_ = await downloads('async', { limit: 6 });
  const batches = await downloads('batches', { limit: 10 });
  const threadsGil = await downloads('threads', { limit: 6 }, { gil: 'on' });
  const processes = await downloads('processes', { limit: 6 });
  for (const r of [threads, async_, batches, threadsGil, processes]) {
    assert.deepEqual(r.result.files, reference, `${r.model}: same bytes and checksums, in input order`);
    assert.ok(r.tasks.filter((t) => t.id !== null).every((t) => t.phases.some((p) => p.kind === 'io')), `${r.model}: waits are io phases`);
  }
  // How many requests were waiting at once: the structure, not the seconds.
  const inFlight = (r) => maxInFlight(phasesOf(r.tasks.filter((t) => t.id !== null), 'io'));
  assert.equal(inFlight(serial), 1, 'serial waits for one file at a time');
  for (const r of [threads, async_, threadsGil, processes]) assert.equal(inFlight(r), 6, `${r.model} (gil ${r.gil}): six requests wait at once`);
  assert.equal(inFlight(batches), 10, 'a batch of ten waits at once');
  // Each batch is joined before the next starts: no request of batch b+1
  // starts before every request of batch b has ended.
  const byId = (r) => r.tasks.filter((t) => t.id !== null).sort((a, b) => a.id - b.id);
  const b = byId(batches);
  for (const k of [10, 20]) {
    const lastEnd = Math.max(...b.slice(k - 10, k).map((t) => t.end_ms));
    assert.ok(b.slice(k, k + 10).every((t) => t.start_ms >= lastEnd - 0.5), `batch ${k / 10 + 1} starts after batch ${k / 10} is joined`);
  }
  // Pools pay a start-up, shown as spawn segments; async starts nothing.
  for (const r of [threads, processes, batches]) assert.ok(spawnMs(r) > 0, `${r.model}: start-up on the timeline`);
  assert.equal(spawnMs(async_), 0, 'async starts no workers');
});

test('a bad URL is reported on its row and the other files complete', async () => {
  const urls = 'net/images/photo-1.jpg net/missing/file.bin http://127.0.0.1:9/unreachable net/pages/post-2.html';
  for (const model of ['serial', 'threads', 'async', 'processes']) {
    const r = await downloads(model, { urls, limit: 4 });
    assert.equal(r.error, undefined, model);
    const files = r.result.files;
    assert.equal(files.length, 4);
    assert.equal(files[0].bytes, 47000, model);
    assert.match(files[1].error, /404/, model);
    assert.match(files[2].error, /network error/, model);
    assert.equal(files[3].bytes, 18000, model);
  }
  const ui = await openPlayground(browser.context,
    `${server.url}?scenario=downloads&models=threads,async&limit=4&urls=${encodeURIComponent(urls)}&run=1`);
  await ui.waitForSelector('#items tr.failed', { timeout: 30_000 });
  await ui.waitForSelector('#run:not([disabled])', { timeout: 30_000 });
  assert.equal(await ui.$$eval('#items tr.failed', (r) => r.length), 2);
  assert.match(await ui.textContent('#items'), /failed: HTTP 404/);
  await ui.close();
});

test('the latency server caps bandwidth when asked', async () => {
  // photo-1.jpg is 47,000 bytes: at 376 kbit/s it takes 1 s after the latency.
  const r = await run({ scenario: 'downloads', model: 'serial', params: { urls: 'net/images/photo-1.jpg?latency_ms=100&kbps=376' } });
  const io = r.tasks.find((t) => t.id === 0).phases.filter((p) => p.kind === 'io').reduce((a, p) => a + p.end_ms - p.start_ms, 0);
  assert.equal(r.result.files[0].bytes, 47000);
  assert.ok(io >= 1100, `100 ms latency + 1000 ms at 376 kbit/s, measured ${io.toFixed(0)} ms`);
  const fast = await run({ scenario: 'downloads', model: 'serial', params: { urls: 'net/images/photo-1.jpg?latency_ms=100' } });
  assert.ok(timeIn(fast.tasks.find((t) => t.id === 0), 'io') < io, 'uncapped is faster');
});

test('CPU-bound work gains nothing in async: it runs on one thread', async () => {
  const params = { limits: [20000, 20000, 20000, 20000] };
  const serial = await run({ scenario: 'primes', model: 'serial', params });
  const async_ = await run({ scenario: 'primes', model: 'async', workers: 4, params });
  assert.deepEqual(async_.result, serial.result);
  const spans = async_.tasks.filter((t) => t.id !== null).sort((a, b) => a.start_ms - b.start_ms);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i].start_ms >= spans[i - 1].end_ms - 0.5, 'no two tasks compute at once');
  const busy = spans.reduce((a, t) => a + t.end_ms - t.start_ms, 0);
  assert.ok(async_.wall_ms >= busy, `async wall ${async_.wall_ms.toFixed(0)} ms is at least the sum of its tasks (${busy.toFixed(0)} ms)`);
});

test('a sweep of a download pool varies its concurrency limit', async () => {
  const records = await page.evaluate(() => window.playground.sweep(
    { scenario: 'downloads', model: 'threads', params: { preset: 'pages', latency_ms: 150 } }, 3));
  assert.deepEqual(records.map((r) => r.workers), [1, 2, 3]);
  assert.deepEqual(records.map((r) => r.params.limit), [1, 2, 3]);
  const inFlight = records.map((r) => maxInFlight(phasesOf(r.tasks.filter((t) => t.id !== null), 'io')));
  assert.deepEqual(inFlight, [1, 2, 3], 'the limit is how many requests wait at once');
});

test('a person runs the downloads comparison from the page', async () => {
  const ui = await openPlayground(browser.context, `${server.url}?scenario=downloads&models=serial,threads,async&preset=pages&latency_ms=150`);
  await ui.waitForSelector('#run:not([disabled])');
  await ui.click('#run');
  await ui.waitForSelector('#timings tbody tr:nth-child(3)', { timeout: 60_000 });
  await ui.waitForSelector('#run:not([disabled])');
  assert.match(await ui.textContent('#items caption'), /6 downloads/);
  assert.ok(await ui.$$eval('svg g.task rect.io', (r) => r.length) > 0, 'io phases on the timeline');
  await ui.screenshot({ path: `${shots}/downloads.png`, fullPage: true });
  await ui.close();
});
