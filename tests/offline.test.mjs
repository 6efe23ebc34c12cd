// End-to-end: a plain static host (no isolation headers), the service
// worker's one reload, and the app working with the server gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { dist } from './paths.mjs';
import { serve } from './server.mjs';
import { launch, openPlayground } from './browser.mjs';

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
  // The service worker keeps the build once the page is ready.
  const kept = await page.evaluate(() => window.playgroundOffline);
  assert.equal(kept.error, undefined, JSON.stringify(kept));
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

test('a new deployment replaces the old cache whole', async () => {
  const { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { execFileSync } = await import('node:child_process');
  const site = mkdtempSync(join(tmpdir(), 'playground-site-'));
  cpSync(dist, site, { recursive: true });
  const host = await serve(site, { isolated: false });
  const { readdirSync } = await import('node:fs');
  const css = readdirSync(site).find((f) => /^style(-[0-9a-f]+)?\.css$/.test(f));
  try {
    const page = await openPlayground(browser.context, host.url);
    await page.evaluate(() => window.playground.ready);
    assert.equal((await page.evaluate(() => window.playgroundOffline)).error, undefined);
    const state = () => page.evaluate(async (css) => {
      const keys = (await caches.keys()).filter((k) => k.startsWith('playground-'));
      const text = await fetch(css).then((r) => r.text());
      return { keys, newCss: text.includes('deployment 2') };
    }, css);
    const before = await state();
    assert.equal(before.keys.length, 1);
    assert.equal(before.newCss, false);

    // Deploy a changed build: new stylesheet, re-stamped service worker.
    writeFileSync(join(site, css), `${readFileSync(join(site, css), 'utf8')}\n/* deployment 2 */\n`);
    cpSync(fileURLToPath(new URL('../www/sw.js', import.meta.url)), join(site, 'sw.js'));
    execFileSync('node', [fileURLToPath(new URL('../.ci/stamp-build.mjs', import.meta.url))], { env: { ...process.env, TRUNK_STAGING_DIR: site } });
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((reg) => reg.update()));

    // The new worker installs its own cache, takes over, deletes the old one.
    let now = before;
    // Up to 120 s: the new worker takes over, then keeps the whole build
    // (the page asks it to), slow on a busy machine.
    for (let i = 0; i < 1200 && !(now.keys.length === 1 && now.keys[0] !== before.keys[0]); i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = await state();
    }
    const workers = await page.evaluate(() => navigator.serviceWorker.getRegistration().then((reg) =>
      ['installing', 'waiting', 'active'].map((k) => `${k}: ${reg?.[k]?.state ?? '-'}`).join(', ')));
    assert.equal(now.keys.length, 1, `one cache left: ${now.keys} (service workers: ${workers})`);
    assert.notEqual(now.keys[0], before.keys[0], 'the new build has its own cache');
    assert.equal(now.newCss, true, 'files come from the new build');
    await page.close();
  } finally {
    await host.close();
    rmSync(site, { recursive: true, force: true });
  }
});
