// A guess before the run: a link with predict=1 asks first (the tutorial
// author's quiz), with the keyboard alone; the run then starts, its reading
// opens with how the guess compared with what was measured, and the history
// keeps the guess. Skipping runs without one; the guess never changes the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shots } from './paths.mjs';
import { openPlayground, siteForFile } from './browser.mjs';

const site = siteForFile();

const QUERY = 'scenario=primes&models=serial,threads,processes&workers=2&limits=3000,2000';

test('predict=1 asks first; keyboard only; the reading answers the guess and history keeps it', async () => {
  const page = await openPlayground(site.browser.context, `${site.server.url}?${QUERY}&run=1&predict=1`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForSelector('#predict');
  assert.equal(await page.$$eval('#timings', (t) => t.length), 0, 'nothing ran before the guess');
  assert.equal(await page.$$eval('#predict input[name=predict-fastest]', (r) => r.map((x) => x.value).join()), 'serial,threads,processes');
  // The step has the focus: its first choice.
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'predict-fastest');
  // Keyboard only: arrows pick within a group, Tab moves on, Enter runs.
  await page.keyboard.press('ArrowDown'); // threads
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown'); // slower → about the same
  await page.keyboard.press('ArrowDown'); // about 1.5×
  await page.keyboard.press('ArrowDown'); // about 2×
  assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('#predict input:checked')].map((x) => x.value)), ['threads', '2x']);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#timings tbody tr:nth-child(3)', { timeout: 90_000 });
  await page.waitForSelector('#run:not([disabled])');
  assert.equal(await page.$$eval('#predict', (p) => p.length), 0, 'the step closes');
  const first = await page.$eval('#reading p:first-child', (p) => ({ id: p.id, text: p.textContent }));
  assert.equal(first.id, 'guess-verdict', 'the reading starts with the guess');
  assert.match(first.text, /^Your guess: threads ×2 \(GIL on\) fastest — /);
  assert.match(first.text, /serial's speed/);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('playground-history')));
  const threads = stored.filter((e) => e.model === 'threads').at(-1);
  assert.deepEqual(threads.guess, { fastest: 'threads', margin: '2x' }, 'the history keeps the guess');
  // The link keeps asking: Run opens the step again; skipping runs without a guess.
  assert.match(await page.evaluate(() => location.search), /predict=1/);
  await page.focus('#run');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#predict');
  await page.screenshot({ path: `${shots}/predict.png` });
  await page.focus('#predict-skip');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('#predict') && !document.querySelector('#guess-verdict') && document.querySelectorAll('#timings tbody tr').length === 3, null, { timeout: 90_000 });
  await page.close();
});

test('without predict=1 Run runs at once, and the reader can choose to predict', async () => {
  const page = await openPlayground(site.browser.context, `${site.server.url}?${QUERY}`);
  await page.waitForSelector('#run:not([disabled])');
  await page.check('#predict-toggle');
  await page.click('#run');
  await page.waitForSelector('#predict');
  await page.uncheck('#predict-toggle');
  await page.waitForFunction(() => !document.querySelector('#predict'));
  await page.click('#run');
  await page.waitForSelector('#timings tbody tr:nth-child(3)', { timeout: 90_000 });
  await page.close();
});

test('an embed with predict=1 asks first too, and its key figure follows the verdict', async () => {
  const page = await openPlayground(site.browser.context, `${site.server.url}?embed=1&predict=1&run=1&scenario=primes&models=serial,processes&workers=2&limits=3000,2000`);
  await page.waitForSelector('#predict');
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'predict-fastest');
  await page.keyboard.press('Space'); // serial
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown'); // about the same
  await page.keyboard.press('Enter');
  await page.waitForSelector('#guess-verdict', { timeout: 90_000 });
  assert.match(await page.textContent('#guess-verdict'), /^Your guess: serial fastest — /);
  await page.waitForSelector('#key-figure');
  await page.close();
});
