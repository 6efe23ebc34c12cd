// Debian's Chromium driven by playwright-core, with a fresh profile each time.
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dist } from './paths.mjs';
import { serve } from './server.mjs';
import { assertRecords } from './schema.mjs';

/** `options` go to the browser context, e.g. `{ serviceWorkers: 'block' }`. */
export async function launch(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'playground-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1100, height: 900 },
    ...options,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Open the playground and wait until its API says it can run. */
export async function openPlayground(context, url) {
  const page = await context.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.playground !== undefined, null, { timeout: 30_000 });
  // The controls work before the kernels are ready (a Run then waits); the
  // tests act on a page that is ready, as a reader mostly does. Whether it
  // failed to become ready is each test's to check.
  await page.evaluate(() => window.playground.ready.then(() => true, () => false));
  page.logs = logs;
  // Every run record a test reads from the page is checked against the
  // published schema (dist/schema/record.json).
  const evaluate = page.evaluate.bind(page);
  page.evaluate = async (...args) => assertRecords(await evaluate(...args));
  return page;
}

/**
 * What most test files share: the built site served on 127.0.0.1 (with the
 * isolation headers unless `isolated: false`), a fresh browser, and one page
 * whose API is ready. `close()` stops the browser and the server.
 */
export async function openSession({ isolated = true } = {}) {
  const server = await serve(dist, { isolated });
  const browser = await launch();
  const page = await openPlayground(browser.context, server.url);
  const ready = await page.evaluate(() => window.playground.ready);
  return {
    server, browser, page, ready,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * For a test file: the built site served with the isolation headers and a
 * fresh browser, started before its tests and stopped after them. The
 * returned object holds `server` and `browser` once started.
 */
export function siteForFile() {
  const site = { server: null, browser: null };
  before(async () => {
    site.server = await serve(dist, { isolated: true });
    site.browser = await launch();
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}
