// A run from the reader's own machine beside the browser's: the program the
// page hands out, run here by `python3 <program> --json`, goes in by
// window.playground.addRun, a file, a drop, a paste and the embed's
// playground:add-run; it joins the history marked with where it ran and
// stands beside the browser's run of the same config. Bad input gets one
// message and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shots } from './paths.mjs';
import { openPlayground, siteForFile } from './browser.mjs';
import { assertValid } from './schema.mjs';

const QUERY = 'scenario=primes&models=serial,threads&workers=2&limits=3000,2000';
const CONFIG = { scenario: 'primes', model: 'threads', workers: 2, params: { limits: '3000,2000' } };

const site = siteForFile();
let recordText;

/** The program the page hands out for `config`, run here with --json. */
async function runOnThisMachine(page, config) {
  const [program] = await page.evaluate((c) => window.playground.python(c), config);
  const dir = mkdtempSync(join(tmpdir(), 'playground-machine-'));
  try {
    writeFileSync(join(dir, program.filename), program.code);
    return execFileSync('python3', [program.filename, '--json'], { cwd: dir, encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


/** The page after a browser run of serial and threads ×2 of CONFIG. */
async function afterBrowserRun() {
  const page = await openPlayground(site.browser.context, `${site.server.url}?${QUERY}&run=1`);
  await page.waitForSelector('#timings tbody tr:nth-child(2)', { timeout: 90_000 });
  await page.waitForSelector('#run:not([disabled])', { timeout: 90_000 });
  recordText ??= await runOnThisMachine(page, CONFIG);
  return page;
}

const historyCount = (page) => page.$$eval('#history-table tbody tr', (r) => r.length).catch(() => 0);
const refusal = (page) => page.textContent('#add-run-outcome [role=alert]');

test('a record made by python3 <program> --json validates, goes in by addRun and stands beside the browser run', async () => {
  const page = await afterBrowserRun();
  const record = JSON.parse(recordText);
  assertValid('record', record, 'the record python3 printed');
  assert.equal(record.env.native.interpreter, 'CPython');
  const before = await historyCount(page);
  const entry = await page.evaluate((r) => window.playground.addRun(r), record);
  assert.match(entry.ran_on, /^CPython 3\.\d+, \w+, \d+ cores?$/);
  assert.equal(entry.model, 'threads');
  await page.waitForFunction((n) => document.querySelectorAll('#history-table tbody tr').length === n + 1, before);
  assert.match(await page.textContent('#history-table tbody tr:first-child'), /threads ×2[\s\S]*on CPython 3\.\d+/);
  await page.waitForSelector('#machine-compare');
  const rows = await page.$$eval('#machine-table tbody tr', (r) => r.map((x) => x.dataset.where));
  assert.deepEqual(rows, ['machine', 'browser'], 'the machine\'s run beside the browser\'s');
  const reading = await page.textContent('#machine-reading');
  assert.match(reading, /Your machine/);
  assert.match(reading, /GIL/);
  assert.equal(await page.$$eval('#machine-compare figure.timeline', (f) => f.length), 2, 'two timelines');
  // One time axis: both end at the same tick.
  const lastTicks = await page.$$eval('#machine-compare figure.timeline svg', (svgs) =>
    svgs.map((s) => [...s.querySelectorAll('.tick text')].at(-1).textContent));
  assert.equal(lastTicks[0], lastTicks[1]);
  // With the machine's serial run added too, its speedup shows.
  const serial = JSON.parse(await runOnThisMachine(page, { ...CONFIG, model: 'serial', workers: 1 }));
  await page.evaluate((r) => window.playground.addRun(r), serial);
  await page.evaluate((r) => window.playground.addRun(r), record);
  await page.waitForFunction(() => /×/.test(document.querySelector('#machine-table tbody tr[data-where=machine] td:last-child')?.textContent ?? ''));
  await page.locator('#machine-compare').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/machine-compare.png`, fullPage: false });
  await page.locator('#machine-compare').screenshot({ path: `${shots}/machine-compare-section.png` });
  await page.close();
});

test('a record goes in from a file, a drop, a paste and the embed message', async () => {
  const page = await afterBrowserRun();
  let count = await historyCount(page);
  const grew = async (how) => {
    await page.waitForFunction((n) => document.querySelectorAll('#history-table tbody tr').length === n + 1, count);
    assert.match(await page.textContent('#add-run-outcome'), /Added threads ×2/, how);
    count += 1;
  };
  await page.setInputFiles('#add-run-file', { name: 'primes_threads.json', mimeType: 'application/json', buffer: Buffer.from(recordText) });
  await grew('file');
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, recordText);
  await grew('drop');
  await page.fill('#add-run-text', recordText);
  await page.click('#add-run-paste');
  await grew('paste');
  const reply = await page.evaluate((text) => new Promise((resolve) => {
    addEventListener('message', (e) => {
      if (e.data?.type === 'playground:result' && e.data.id === 'mine') resolve(e.data);
    });
    postMessage({ type: 'playground:add-run', id: 'mine', record: JSON.parse(text) }, '*');
  }), recordText);
  assertValid('message', reply, 'the add-run reply');
  assert.equal(reply.record.scenario, 'primes');
  await page.waitForFunction((n) => document.querySelectorAll('#history-table tbody tr').length === n + 1, count);
  await page.close();
});

test('bad imports get one message naming what is wrong and change nothing', async () => {
  const page = await afterBrowserRun();
  const good = JSON.parse(recordText);
  const before = await historyCount(page);
  const stored = await page.evaluate(() => localStorage.getItem('playground-history'));
  const cases = [
    ['not JSON', '{"scenario": "primes",', /not JSON/],
    ['wrong shape', JSON.stringify({ ...good, wall_ms: 'fast' }), /shape of record\.json at wall_ms/],
    ['unknown scenario', JSON.stringify({ ...good, scenario: 'mandelbrot' }), /scenario 'mandelbrot'/],
    ['10 MB of text', 'x'.repeat(10 * 1024 * 1024), /10\.0 MB/],
  ];
  for (const [what, text, message] of cases) {
    await page.fill('#add-run-text', text.length > 100_000 ? '' : text);
    if (text.length > 100_000) {
      await page.setInputFiles('#add-run-file', { name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    } else {
      await page.click('#add-run-paste');
    }
    await page.waitForFunction((m) => new RegExp(m).test(document.querySelector('#add-run-outcome [role=alert]')?.textContent ?? ''), message.source);
    const shown = await refusal(page);
    assert.match(shown, message, what);
    assert.equal(await page.$$eval('#add-run-outcome p', (p) => p.length), 1, `${what}: one message`);
    // The API refuses with the same words.
    const rejected = await page.evaluate(async (t) => {
      let value;
      try { value = JSON.parse(t); } catch { value = t; }
      try { await window.playground.addRun(value); return null; } catch (e) { return e.message; }
    }, text);
    if (what !== 'not JSON' && what !== '10 MB of text') assert.equal(rejected, shown, `${what}: the API's message is the page's`);
    else assert.ok(rejected, `${what}: the API refuses it`);
    assert.equal(await historyCount(page), before, `${what}: history unchanged`);
  }
  assert.equal(await page.evaluate(() => localStorage.getItem('playground-history')), stored, 'stored history untouched');
  assert.equal(await page.$$eval('#machine-compare', (s) => s.length), 0, 'no compare view from bad input');
  await page.close();
});
