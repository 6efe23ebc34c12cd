// End-to-end: a plain static host (no isolation headers), the service
// worker's one reload, and the app working with the server gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';
import { launch, openPlayground } from './browser.mjs';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
let server, browser;

before(async () => {
  server = await serve(dist, { isolated: false });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const primes = { scenario: 'primes', model: 'threads', workers: 2, gil: 'off', params: { limits: [3000, 2000] } };

test('a plain static host: one reload through the service worker, then isolated with threads', async () => {
  const page = await openPlayground(browser.context, server.url);
  const info = await page.evaluate(() => window.playground.ready);
  assert.equal(info.isolated, true);
  const reloads = await page.evaluate(() => performance.getEntriesByType('navigation')[0].type);
  assert.equal(reloads, 'reload', 'the page reloaded once to become isolated');
  const record = await page.evaluate((c) => window.playground.run(c), primes);
  assert.deepEqual(record.result.items.map((i) => i.count), [430, 303]);
  // Opening it again needs no reload (no loop).
  const again = await openPlayground(browser.context, server.url);
  assert.equal(await again.evaluate(() => window.playground.ready.then((i) => i.isolated)), true);
  assert.equal(await again.evaluate(() => performance.getEntriesByType('navigation')[0].type), 'navigate');
  await again.close();
  await page.close();
});

test('with the server gone, a reload still opens the app and runs', async () => {
  const url = server.url;
  const page = await openPlayground(browser.context, url);
  await page.evaluate(() => window.playground.ready);
  await server.close();
  server = null;
  await page.reload();
  await page.waitForFunction(() => window.playground !== undefined, null, { timeout: 30_000 });
  const info = await page.evaluate(() => window.playground.ready);
  assert.equal(info.isolated, true);
  const record = await page.evaluate((c) => window.playground.run(c), primes);
  assert.equal(record.error, undefined);
  assert.deepEqual(record.result.items.map((i) => i.count), [430, 303]);
  const got = await page.evaluate(() => window.playground.run({
    scenario: 'downloads', model: 'threads', params: { preset: 'pages', latency_ms: 50, limit: 6 } }));
  assert.equal(got.result.files.length, 6);
  assert.ok(got.result.files.every((f) => f.bytes > 0 && !f.error), 'downloads work offline: the latency server is the service worker');
  await page.close();
});
