// End-to-end: the same dist/ from any folder of any static host, with and
// without isolation headers, under the strict content security policy; the
// host config the build ships; lists given as arrays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dist } from './paths.mjs';
import { serve } from './server.mjs';
import { launch, openPlayground } from './browser.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const run = (page, config) => page.evaluate((c) => window.playground.run(c), config);
const rejection = (page, config) =>
  page.evaluate((c) => window.playground.run(c).then(() => 'resolved', (e) => String(e.message ?? e)), config);
const primes = { scenario: 'primes', model: 'processes', workers: 2, params: { limits: [3000, 2000] } };
const pages = { scenario: 'downloads', model: 'async', params: { preset: 'pages', latency_ms: 50, limit: 6 } };
/** Console lines that mean something went wrong (CSP refusals, 404s, errors). */
const problems = (logs) => logs.filter((l) => /^(error|pageerror)|Content Security Policy|Refused/i.test(l));

for (const prefix of ['/', '/deep/pg/']) {
  for (const isolated of [true, false]) {
    test(`served from ${prefix} ${isolated ? 'with' : 'without'} isolation headers: primes in processes, downloads in async`, async () => {
      const server = await serve(dist, { isolated, prefix });
      try {
        const page = await openPlayground(browser.context, server.url);
        const info = await page.evaluate(() => window.playground.ready);
        // Without headers the service worker isolates the page (one reload).
        assert.equal(info.isolated, true);
        assert.equal(new URL(page.url()).pathname, prefix);
        const record = await run(page, primes);
        assert.equal(record.error, undefined);
        assert.deepEqual(record.result.items.map((i) => i.count), [430, 303]);
        const got = await run(page, pages);
        assert.equal(got.result.files.length, 6);
        assert.ok(got.result.files.every((f) => f.bytes > 0 && !f.error), JSON.stringify(got.result.files));
        const scope = await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => new URL(r.scope).pathname));
        assert.equal(scope, prefix, 'the service worker is scoped to the folder');
        assert.deepEqual(problems(page.logs), []);
        await page.close();
      } finally {
        await server.close();
      }
    });
  }
}

test('under the strict CSP header the page starts, draws and runs with no violation', async () => {
  const server = await serve(dist, { isolated: true, csp: true });
  try {
    const page = await openPlayground(browser.context, `${server.url}?scenario=primes&models=serial,threads,processes&workers=2&limits=3000,2000`);
    const violations = [];
    await page.exposeFunction('__violation', (v) => violations.push(v));
    await page.evaluate(() => document.addEventListener('securitypolicyviolation', (e) => window.__violation(`${e.violatedDirective} ${e.blockedURI}`)));
    const info = await page.evaluate(() => window.playground.ready);
    assert.equal(info.isolated, true);
    await page.click('#run');
    await page.waitForSelector('#run:not([disabled])', { timeout: 60_000 });
    await page.waitForSelector('#timings tbody tr');
    assert.equal(await page.$$eval('#wall-chart rect.wall', (r) => r.length), 3, 'a bar per model');
    const got = await run(page, pages);
    assert.ok(got.result.files.every((f) => f.bytes > 0 && !f.error));
    assert.deepEqual(violations, []);
    assert.deepEqual(problems(page.logs), []);
    await page.close();
  } finally {
    await server.close();
  }
});

test('urls may be an array; a value of another type is refused naming urls', async () => {
  const server = await serve(dist, { isolated: true });
  try {
    const page = await openPlayground(browser.context, server.url);
    await page.evaluate(() => window.playground.ready);
    const urls = ['net/pages/post-2.html?latency_ms=10', 'net/images/photo-1.jpg?latency_ms=10'];
    for (const model of ['serial', 'async', 'threads']) {
      const r = await run(page, { scenario: 'downloads', model, params: { urls } });
      assert.deepEqual(r.result.files.map((f) => [f.url, f.bytes]), [[urls[0], 18000], [urls[1], 47000]], model);
    }
    assert.match(await rejection(page, { scenario: 'downloads', model: 'async', params: { urls: 5 } }), /^urls: must be a list/);
    assert.match(await rejection(page, { scenario: 'downloads', model: 'async', params: { urls: [1, 2] } }), /^urls:/);
    assert.match(await rejection(page, { scenario: 'wordcount', model: 'serial', params: { text: ['a'] } }), /^text:/);
    await page.close();
  } finally {
    await server.close();
  }
});

test('the build ships _headers: isolation, embedding and CSP everywhere, hashed files cached for good', () => {
  const text = readFileSync(join(dist, '_headers'), 'utf8');
  const blocks = Object.fromEntries(text.trim().split(/\n\n+/).map((b) => {
    const [path, ...lines] = b.split('\n');
    return [path, Object.fromEntries(lines.map((l) => l.trim().split(/:\s(.*)/s).slice(0, 2)))];
  }));
  assert.equal(blocks['/*']['Cross-Origin-Embedder-Policy'], 'require-corp');
  assert.equal(blocks['/*']['Cross-Origin-Opener-Policy'], 'same-origin');
  assert.equal(blocks['/*']['Cross-Origin-Resource-Policy'], 'cross-origin');
  assert.equal(blocks['/*']['Document-Isolation-Policy'], 'isolate-and-require-corp');
  assert.match(blocks['/*']['Content-Security-Policy'], /script-src 'self' 'wasm-unsafe-eval'/);
  for (const f of ['/', '/index.html', '/sw.js', '/main.js', '/compute-worker.js']) {
    assert.equal(blocks[f]?.['Cache-Control'], 'no-cache', f);
  }
  const wasm = readdirSync(dist).filter((f) => f.endsWith('_bg.wasm')).sort();
  assert.equal(wasm.length, 2, `the page's module and the compute module: ${wasm}`);
  assert.match(wasm[0], /^compute-[0-9a-f]{16}_bg\.wasm$/, 'the wasm name carries its hash');
  assert.match(wasm[1], /^playground-[0-9a-f]{16}_bg\.wasm$/, 'the wasm name carries its hash');
  for (const w of wasm) assert.match(blocks[`/${w}`]['Cache-Control'], /immutable/);
  assert.ok(!Object.keys(blocks).some((p) => p !== '/*' && Object.keys(blocks[p]).length !== 1), 'one Cache-Control per file');
});
