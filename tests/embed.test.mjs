// End-to-end: the playground embedded in a tutorial on another origin
// (localhost embeds 127.0.0.1), driven over postMessage alone; the embed
// view at phone and column widths; the author's embed.js loader.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertRecords, assertValid } from './schema.mjs';
import { dist, shots } from './paths.mjs';
import { serve } from './server.mjs';
import { serveHost } from './host.mjs';
import { launch } from './browser.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});


const problems = (logs) => logs.filter((l) => /^(error|pageerror)/.test(l));

async function openHost(url) {
  const page = await browser.context.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  const navigations = [];
  page.on('framenavigated', (f) => { if (f !== page.mainFrame()) navigations.push(f.url()); });
  await page.goto(url);
  page.logs = logs;
  page.navigations = navigations;
  return page;
}

/** The first message of `type` (and `id`) that reached the host page. */
async function message(page, type, id, timeout = 60_000) {
  const handle = await page.waitForFunction(([type, id]) => window.__messages.find((m) =>
    m.data?.type === type && (id === undefined || m.data.id === id)), [type, id], { timeout, polling: 50 });
  const received = await handle.jsonValue();
  // Every message from the playground matches dist/schema/messages.json.
  assertValid('message', received.data, `a ${type} message`);
  assertRecords(received.data.record ?? [], `the record of a ${type} message`);
  return received;
}

const send = (page, msg) => page.evaluate((m) => window.__send(m), msg);
const primes = (model) => ({ scenario: 'primes', model, workers: 2, gil: 'off', params: { limits: [3000, 2000] } });

/**
 * Talk to the embed over postMessage alone. `threads`: whether the iframe
 * must be isolated (true), or may be either (null: then threads run where it
 * is, and are refused with the reason where it is not).
 */
async function conversation(page, playgroundOrigin, threads = true) {
  const ready = await message(page, 'playground:ready');
  assert.equal(ready.origin, playgroundOrigin);
  assert.equal(ready.data.protocol, 1);
  if (threads) assert.equal(ready.data.env.isolated, true, 'threads inside the iframe');
  const isolated = ready.data.env.isolated;
  assert.equal(ready.data.env.models.includes('threads'), isolated);

  for (const [id, model] of [[1, 'processes'], [2, 'threads']]) {
    await send(page, { type: 'playground:run', id, config: primes(model) });
    const { data } = await message(page, 'playground:result', id);
    if (model === 'threads' && !isolated) {
      assert.match(data.error, /cross-origin isolated/, 'threads refused with the reason');
      continue;
    }
    assert.equal(data.error, undefined, model);
    assert.deepEqual(data.record.result.items.map((i) => i.count), [430, 303], model);
    assert.equal(data.record.model, model);
  }
  await send(page, { type: 'playground:run', id: 'bad', config: { scenario: 'primes', model: 'threads', workers: 99 } });
  const bad = await message(page, 'playground:result', 'bad');
  assert.match(bad.data.error, /workers: must be a whole number from 1 to 32/);
  assert.equal(bad.data.record, undefined);

  // The Python programs of a config, answered like a run.
  await send(page, { type: 'playground:python', id: 'py', config: { scenario: 'wordcount', model: 'dataflow' } });
  const py = await message(page, 'playground:programs', 'py');
  assert.deepEqual(py.data.programs.map((p) => p.filename), ['wordcount_dataflow.py', 'wordcount_dataflow_bytewax.py']);
  assert.match(py.data.programs[1].code, /from bytewax\.dataflow import Dataflow/);
  await send(page, { type: 'playground:python', id: 'py-dask', config: { scenario: 'primes', model: 'processes' } });
  const pyDask = await message(page, 'playground:programs', 'py-dask');
  assert.deepEqual(pyDask.data.programs.map((p) => p.title), ['Standard library', 'Dask']);
  assert.match(pyDask.data.programs[1].code, /from distributed import Client, get_task_stream/);
  await send(page, { type: 'playground:python', id: 'py-bad', config: { scenario: 'primes', model: 'threads', workers: 99 } });
  const pyBad = await message(page, 'playground:programs', 'py-bad');
  assert.equal(pyBad.data.error, bad.data.error, 'the same message as a run');
  assert.equal(pyBad.data.programs, undefined);

  // Anything else is ignored without error.
  await send(page, { type: 'something-else' });
  await send(page, 'a string');

  await send(page, { type: 'playground:run', id: 'long', config: { ...primes(isolated ? 'threads' : 'processes'), params: { limits: [200000, 200000, 200000] } } });
  await page.waitForTimeout(700);
  await send(page, { type: 'playground:stop' });
  const long = await message(page, 'playground:result', 'long', 10_000);
  assert.match(long.data.error ?? long.data.record?.error, /Stopped/);

  const resize = await message(page, 'playground:resize');
  assert.ok(resize.data.height > 100, `height ${resize.data.height}`);
  assert.equal(resize.origin, playgroundOrigin);
}

for (const isolatedHost of [false, true]) {
  test(`embedded in a host page ${isolatedHost ? 'with' : 'without'} COOP/COEP on another origin: ready, run, errors, stop, height`, async () => {
    const playground = await serve(dist, { isolated: true });
    const src = `${playground.url}?embed=1&scenario=primes&models=serial,threads&workers=2`;
    const host = await serveHost(`<iframe src="${src}" allow="cross-origin-isolated" title="Playground" style="width:100%;height:400px;border:0"></iframe>`, { isolated: isolatedHost });
    try {
      const page = await openHost(host.url);
      await conversation(page, new URL(playground.url).origin);
      assert.deepEqual(problems(page.logs), []);
      await page.close();
    } finally {
      await host.close();
      await playground.close();
    }
  });
}

// Whether the service worker can isolate this iframe depends on the browser:
// this Chromium blocks storage, and with it service workers, in third-party
// iframes, so the embed runs without threads here and says why.
test('served with no headers at all, in a plain host page: it runs, threads where it could be isolated, at most one reload', async () => {
  const playground = await serve(dist, { isolated: false });
  const src = `${playground.url}?embed=1&scenario=primes&models=serial,threads`;
  const host = await serveHost(`<iframe src="${src}" allow="cross-origin-isolated" title="Playground"></iframe>`, { isolated: false });
  try {
    const page = await openHost(host.url);
    await conversation(page, new URL(playground.url).origin, null);
    assert.ok(page.navigations.length <= 2, `the iframe loaded ${page.navigations.length} times`);
    // A second visit needs no reload at all.
    const again = await openHost(host.url);
    await message(again, 'playground:ready');
    assert.equal(again.navigations.length, 1, 'no reload on the second visit');
    assert.deepEqual(problems(page.logs), []);
    await again.close();
    await page.close();
  } finally {
    await host.close();
    await playground.close();
  }
});

test('the embed view fits 360 and 820 px wide, runs from its buttons and links to the full page', async () => {
  const playground = await serve(dist, { isolated: true });
  try {
    for (const [width, controls] of [[360, '1'], [820, '1'], [360, '0'], [820, '0']]) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: 300 });
      await page.goto(`${playground.url}?embed=1&controls=${controls}&scenario=primes&models=serial,threads&workers=2&limits=3000,2000&theme=${width === 820 ? 'dark' : 'light'}`);
      await page.waitForSelector('#run:not([disabled])', { timeout: 30_000 });
      assert.equal(await page.$('header h1.tagline, .tagline'), null, 'no page chrome');
      assert.equal(await page.$('#scenario') === null, true, 'no scenario choice in an embed');
      assert.equal(await page.$('#limits') !== null, controls === '1', `controls=${controls}`);
      const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      assert.ok(fits, `no horizontal scroll at ${width} px`);
      const clipped = await page.$$eval('button, a, input, select', (els) => els
        .filter((e) => e.offsetParent !== null)
        .filter((e) => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth + 0.5; })
        .map((e) => e.id || e.textContent));
      assert.deepEqual(clipped, [], `nothing clipped at ${width} px`);
      await page.screenshot({ path: `${shots}/embed-${width}-controls${controls}.png` });
      const full = await page.getAttribute('#open-full', 'href');
      assert.match(full, /scenario=primes/);
      assert.doesNotMatch(full, /embed=1/);
      assert.equal(await page.getAttribute('#open-full', 'target'), '_blank');
      await page.click('#run');
      await page.waitForSelector('#key-figure', { timeout: 60_000 });
      await page.waitForSelector('#run:not([disabled])', { timeout: 60_000 });
      assert.match(await page.textContent('#key-figure'), /serial|×/);
      assert.equal(await page.$$eval('#wall-chart rect.wall', (r) => r.length), 2);
      assert.ok(await page.$$eval('svg g.task', (t) => t.length) > 0, 'the latest timeline');
      assert.match(page.url(), /embed=1/, 'the embed keeps its view in the address');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `no horizontal scroll after a run at ${width} px`);
      await page.screenshot({ path: `${shots}/embed-${width}-controls${controls}-run.png`, fullPage: true });
      await page.close();
    }
  } finally {
    await playground.close();
  }
});

test('embed.js turns data-playground elements into sized iframes as they scroll into view', async () => {
  const playground = await serve(dist, { isolated: true });
  const body = `<script src="${playground.url}embed.js" async></script>
    <div id="first" data-playground="scenario=primes&models=serial&limits=1000"></div>
    <div style="height:3000px"></div>
    <div id="second" data-playground="scenario=factorial&models=serial&controls=0"></div>`;
  const host = await serveHost(body, { isolated: false });
  try {
    const page = await openHost(host.url);
    await page.waitForSelector('#first iframe');
    assert.equal(await page.$('#second iframe'), null, 'the second embed waits until it is near the viewport');
    const src = await page.getAttribute('#first iframe', 'src');
    assert.match(src, /embed=1/);
    assert.equal(await page.getAttribute('#first iframe', 'allow'), 'cross-origin-isolated');
    // Sized from the playground's own resize messages.
    await page.waitForFunction(() => parseInt(document.querySelector('#first iframe').style.height, 10) !== 320, null, { timeout: 30_000 });
    await page.evaluate(() => document.getElementById('second').scrollIntoView());
    await page.waitForSelector('#second iframe');
    await page.waitForFunction(() => parseInt(document.querySelector('#second iframe').style.height, 10) !== 320, null, { timeout: 30_000 });
    const heights = await page.$$eval('iframe', (f) => f.map((x) => x.style.height));
    assert.equal(heights.length, 2);
    assert.deepEqual(problems(page.logs), []);
    await page.close();
  } finally {
    await host.close();
    await playground.close();
  }
});

test('the full page offers the link and the embed snippets of its settings', async () => {
  const playground = await serve(dist, { isolated: true });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${playground.url}?scenario=primes&models=serial,threads&workers=2&limits=3000`);
    await page.waitForSelector('#run:not([disabled])', { timeout: 30_000 });
    await page.click('details summary');
    const link = await page.inputValue('#share-link');
    const iframe = await page.inputValue('#share-iframe');
    const script = await page.inputValue('#share-script');
    assert.equal(new URL(link).searchParams.get('limits'), '3000');
    assert.match(iframe, /^<iframe src="[^"]*\?embed=1&amp;scenario=primes/);
    assert.match(iframe, /allow="cross-origin-isolated"/);
    assert.match(iframe, /loading="lazy"/);
    assert.match(iframe, /title="Parallelism playground: /);
    assert.match(script, /embed\.js" async><\/script>/);
    assert.match(script, /data-playground="scenario=primes&amp;models=serial%2Cthreads/);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(playground.url).origin });
    await page.click('#copy-embed');
    await page.waitForFunction(() => document.querySelector('.share-status').textContent.includes('copied'));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, iframe, 'Copy embed code copies the snippet shown');
    await page.close();
  } finally {
    await playground.close();
  }
});
