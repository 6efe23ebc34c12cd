// The answer in view: after Run, on a wide screen (controls and results side
// by side) and on a phone (the page brings the results up), the speedup
// figures are on screen without the reader scrolling, and focus is on the
// results' heading or still in the form, never lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shots } from './paths.mjs';
import { openPlayground, siteForFile } from './browser.mjs';

const site = siteForFile();

const QUERY = 'scenario=primes&models=serial,threads,processes&workers=2&limits=3000,2000';

/** Where an element is against the viewport. */
const inView = (page, selector) => page.$eval(selector, (e) => {
  const r = e.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= innerHeight;
});

for (const [name, width, height] of [['wide', 1280, 900], ['phone', 390, 844]]) {
  test(`after Run at ${width} × ${height} the speedups are in view (${name})`, async () => {
    const page = await openPlayground(site.browser.context, `${site.server.url}?${QUERY}`);
    await page.setViewportSize({ width, height });
    await page.waitForSelector('#run:not([disabled])');
    await page.evaluate(() => window.playground.ready);
    // Keyboard only: to the Run button and press it.
    await page.focus('#run');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#timings tbody tr:nth-child(3)', { timeout: 90_000 });
    await page.waitForSelector('#run:not([disabled])');
    // The bars with their speedups (smooth scrolling may still be under way).
    await page.waitForFunction(() => {
      const r = document.querySelector('#wall-chart svg')?.getBoundingClientRect();
      return r && r.top >= 0 && r.bottom <= innerHeight;
    });
    assert.ok(await inView(page, '#wall-chart svg'), 'the wall-time chart, speedups written on it');
    const speedups = await page.$eval('#wall-chart', (f) => f.textContent);
    assert.match(speedups, /×/);
    const focus = await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
    assert.ok(['results-title', 'run'].includes(focus), `focus is on the results' heading or the Run button, not ${focus}`);
    if (name === 'wide') {
      const [controls, results] = await page.$$eval('.workbench-controls, .workbench-results', (e) => e.map((x) => x.getBoundingClientRect().left));
      assert.ok(results > controls + 300, 'results beside the controls');
    }
    await page.screenshot({ path: `${shots}/answer-${name}.png` });
    await page.close();
  });
}
