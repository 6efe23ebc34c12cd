// End-to-end: a reader's first visit. The shell is there before any script
// runs; the progress line moves while the page's code arrives over a slow
// link; the controls come before `ready` and a Run pressed then waits for
// it; no file is sent twice; the default run's threads all come warm from
// the reserve; offline works after that one visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dist, shots } from './paths.mjs';
import { serve } from './server.mjs';
import { launch, openPlayground } from './browser.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('index.html: the shell is painted with scripts off, and no script blocks it', async () => {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
    assert.match(tag, /\bdefer\b|type="module"/, `${tag} would hold the first paint`);
  }
  const server = await serve(dist);
  const plain = await launch({ javaScriptEnabled: false });
  try {
    const page = await plain.context.newPage();
    await page.goto(server.url);
    assert.equal(await page.textContent('h1'), 'Parallelism playground');
    assert.match(await page.textContent('.tagline'), /threads/i);
    assert.equal(await page.getAttribute('#env', 'role'), 'status');
    assert.match(await page.textContent('#env'), /Loading/);
    await page.screenshot({ path: join(shots, 'shell-no-script.png') });
  } finally {
    await plain.close();
    await server.close();
  }
});

test('over a slow link: progress moves, the controls come before ready, Run waits for it, nothing is sent twice', async () => {
  const log = [];
  // A link slow enough to watch the bytes arrive, fast enough for a test.
  const server = await serve(dist, { link: { rttMs: 40, kbps: 8000 }, log });
  const fresh = await launch();
  try {
    const page = await fresh.context.newPage();
    // Every text the status line shows, from before the page's own scripts.
    await page.addInitScript(() => {
      window.__lines = [];
      const note = () => {
        const line = document.querySelector('#env');
        const text = line?.textContent;
        if (text && window.__lines.at(-1)?.text !== text) {
          window.__lines.push({ text, ready: performance.getEntriesByName('playground-ready').length > 0 });
        }
      };
      new MutationObserver(note).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto(`${server.url}?scenario=primes&models=threads&workers=4&limits=3000,2000,1000,500`);
    // The controls are there, and usable, before the kernels are ready.
    await page.waitForSelector('#run:not([disabled])');
    const readyAtClick = await page.evaluate(() => performance.getEntriesByName('playground-ready').length > 0);
    await page.click('#run');
    if (!readyAtClick) {
      // (On a fast machine the kernels may have won the race: nothing to wait for then.)
      await page.waitForSelector('#waiting');
    }
    await page.waitForFunction(() => window.playground !== undefined);
    await page.evaluate(() => window.playground.ready);
    await page.waitForSelector('#results, .results', { timeout: 60_000 });
    const lines = await page.evaluate(() => window.__lines);
    const loading = lines.filter((l) => /^Loading the page's code: \d+ of \d+ KB/.test(l.text));
    assert.ok(loading.length >= 2, `the progress line moved: ${JSON.stringify(lines.map((l) => l.text))}`);
    assert.ok(lines.some((l) => /Warming up/.test(l.text)), 'it says when it warms up');
    const offline = await page.evaluate(() => window.playgroundOffline);
    assert.equal(offline.error, undefined, JSON.stringify(offline));
    assert.ok(offline.files > 10, JSON.stringify(offline));
    // The test server's log: every file of the site sent once (a 304, the
    // browser checking its service worker for an update, sends nothing).
    const sent = new Map();
    for (const { path, status } of log) {
      if (path.includes('/net/') || status !== 200) continue; // the downloads' own files
      sent.set(path, (sent.get(path) ?? 0) + 1);
    }
    const twice = [...sent].filter(([, times]) => times > 1);
    assert.deepEqual(twice, [], 'no file is sent twice on a first visit');
    const wasm = [...sent.keys()].filter((p) => p.endsWith('.wasm'));
    assert.ok(wasm.length >= 1, `the wasm was fetched: ${[...sent.keys()]}`);
    // The compute worker starts early, yet on a first visit its module
    // barely shares the line with the page's: asked for once the page's is
    // nearly in (its last round trip), not beside it.
    const sentOf = (pattern) => log.find((l) => pattern.test(l.path) && l.status === 200);
    const [pageWasm, computeWasm] = [sentOf(/\/playground-[0-9a-f]+_bg\.wasm$/), sentOf(/\/compute-[0-9a-f]+_bg\.wasm$/)];
    assert.ok(pageWasm && computeWasm, 'both modules were sent');
    const pageSentBefore = computeWasm.askedAt >= pageWasm.doneAt ? pageWasm.bytes : computeWasm.others[pageWasm.path];
    assert.ok(pageSentBefore >= 0.75 * pageWasm.bytes,
      `the compute module was asked for once most of the page's was sent (${pageSentBefore} of ${pageWasm.bytes} bytes)`);
    await page.screenshot({ path: join(shots, 'first-visit-run.png'), fullPage: true });
  } finally {
    await fresh.close();
    await server.close();
  }
});

test('a visit whose files are kept: the compute worker starts before the page\'s module runs, and the page takes it over', async () => {
  const server = await serve(dist);
  const fresh = await launch();
  try {
    const first = await openPlayground(fresh.context, server.url);
    await first.evaluate(() => window.playgroundOffline);
    await first.close();
    const page = await openPlayground(fresh.context, server.url);
    const info = await page.evaluate(() => window.playground.ready);
    assert.equal(info.shared_memory, true);
    const marks = await page.evaluate(() => Object.fromEntries(['compute-worker-started', 'page-module-running', 'playground-ready']
      .map((name) => [name, performance.getEntriesByName(name)[0]?.startTime ?? null])));
    assert.ok(marks['compute-worker-started'] !== null && marks['page-module-running'] !== null, JSON.stringify(marks));
    assert.ok(marks['compute-worker-started'] < marks['page-module-running'], `started before the page's module ran: ${JSON.stringify(marks)}`);
    // One compute worker: the page's client took over the one main.js started.
    const workers = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /compute-worker\.js/.test(e.name)).map((e) => e.name));
    assert.equal(workers.length, 1, workers.join(', '));
    const r = await page.evaluate(() => window.playground.run({ scenario: 'primes', model: 'threads', workers: 2, params: { limits: [3000, 2000] } }));
    assert.deepEqual(r.result.items.map((i) => i.count), [430, 303]);
  } finally {
    await fresh.close();
    await server.close();
  }
});

test('the default run on a fresh page: every thread comes warm from the reserve', async () => {
  const server = await serve(dist);
  const fresh = await launch();
  try {
    const page = await openPlayground(fresh.context, server.url);
    const info = await page.evaluate(() => window.playground.ready);
    assert.equal(info.shared_memory, true);
    // What the form asks by default (4 workers, threads) on a 2-core machine too.
    const record = await page.evaluate(() => window.playground.run({ scenario: 'primes', model: 'threads', workers: 4, params: { limits: [3000, 2000, 1000, 500] } }));
    const starts = record.tasks.filter((t) => t.phases.some((p) => p.kind === 'spawn'));
    assert.equal(starts.length, 4);
    for (const s of starts) assert.match(s.label, /from the reserve/, `${s.label}: started cold`);
  } finally {
    await fresh.close();
    await server.close();
  }
});
