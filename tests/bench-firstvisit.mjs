// A reader's first visit over a phone's connection (150 ms round trip,
// 1.6 Mbit/s shared by every request, gzip, the build's cache headers; the
// test server throttles every request, the workers' and the service
// worker's too), in 3 fresh profiles: when the shell is painted, when the
// controls are usable, when `ready` comes, when the default run's threads
// start, and the bytes sent per file. Then a second visit on loopback.
import { serve } from './server.mjs';
import { launch } from './browser.mjs';
import { dist } from './paths.mjs';

const LINK = { rttMs: 150, kbps: 1600 };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Marks `controls-usable` when the Run button first appears enabled, and
 * keeps each text of the status line with when it appeared.
 */
const watchControls = () => {
  window.__stages = [];
  const check = () => {
    const text = document.querySelector('#env')?.textContent?.replace(/\d+ of/, 'N of');
    if (text && window.__stages.at(-1)?.text !== text) window.__stages.push({ text: text.slice(0, 60), at: performance.now() });
    if (performance.getEntriesByName('controls-usable').length) return;
    const run = document.querySelector('#run');
    if (run && !run.disabled) performance.mark('controls-usable');
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
};

const at = (page, name) => page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN, name);

export async function firstVisit() {
  console.log(`first visit, ${LINK.rttMs} ms round trip, ${LINK.kbps / 1000} Mbit/s shared, gzip (3 fresh profiles)`);
  const rows = [];
  let files = new Map();
  for (let i = 0; i < 3; i++) {
    const log = [];
    const server = await serve(dist, { link: LINK, log });
    const browser = await launch();
    try {
      const page = await browser.context.newPage();
      await page.addInitScript(watchControls);
      await page.goto(server.url);
      await page.waitForFunction(() => performance.getEntriesByName('playground-ready').length > 0, null, { timeout: 120_000, polling: 250 });
      const offline = (await page.evaluate(() => window.playgroundOffline)) ?? { error: 'kept at install' };
      const record = await page.evaluate(() => window.playground.run({ scenario: 'primes', model: 'threads', workers: 4, params: { limits: [3000, 2000, 1000, 500] } }));
      const spawns = record.tasks.flatMap((t) => t.phases.filter((p) => p.kind === 'spawn').map((p) => p.end_ms - p.start_ms));
      if (process.env.SPAWNS) console.log('    spawns', spawns.map((s) => s.toFixed(2)).join(', '));
      rows.push({
        shell: await at(page, 'first-contentful-paint'),
        controls: await at(page, 'controls-usable'),
        ready: await at(page, 'playground-ready'),
        spawnMax: Math.max(...spawns),
        precached: offline.error ?? `${offline.files} files kept, ${offline.fetched} fetched again`,
        stages: await page.evaluate(() => window.__stages),
      });
      files = new Map();
      for (const { path, bytes, status } of log) {
        // A 304 (the browser checking its service worker for an update)
        // sends nothing: as in the tests, only what was sent counts.
        if (path.includes('/net/') || status !== 200) continue;
        const f = files.get(path) ?? { times: 0, bytes: 0 };
        files.set(path, { times: f.times + 1, bytes: f.bytes + bytes });
      }
    } finally {
      await browser.close();
      await server.close();
    }
  }
  for (const [i, r] of rows.entries()) {
    console.log(`  profile ${i + 1}: shell ${(r.shell / 1000).toFixed(2)} s, controls ${(r.controls / 1000).toFixed(2)} s, ready ${(r.ready / 1000).toFixed(2)} s; default run's slowest thread start ${r.spawnMax.toFixed(2)} ms; offline: ${r.precached}`);
  }
  // Where the time goes: when each stage of the status line began (profile 1).
  for (const { text, at } of rows[0].stages) console.log(`    ${(at / 1000).toFixed(2).padStart(6)} s  ${text}`);
  const pick = (k) => (median(rows.map((r) => r[k])) / 1000).toFixed(2);
  console.log(`  median: shell ${pick('shell')} s, controls ${pick('controls')} s, ready ${pick('ready')} s`);
  const total = [...files.values()].reduce((a, f) => a + f.bytes, 0);
  console.log(`  sent in the last profile: ${(total / 1024).toFixed(0)} KiB in ${files.size} files; any file twice: ${[...files].filter(([, f]) => f.times > 1).map(([p, f]) => `${p} ×${f.times}`).join(', ') || 'none'}`);
  for (const [path, f] of [...files].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 6)) {
    console.log(`    ${path.padEnd(44)} ${(f.bytes / 1024).toFixed(1).padStart(7)} KiB${f.times > 1 ? ` (×${f.times})` : ''}`);
  }

  // A second visit: the same profile, cached, on loopback.
  const server = await serve(dist, { cache: 'build' });
  const browser = await launch();
  try {
    const seconds = [];
    for (let i = 0; i < 4; i++) {
      const page = await browser.context.newPage();
      await page.addInitScript(watchControls);
      await page.goto(server.url);
      await page.waitForFunction(() => performance.getEntriesByName('playground-ready').length > 0, null, { timeout: 60_000, polling: 100 });
      if (i === 0) await page.evaluate(() => window.playgroundOffline ?? navigator.serviceWorker.ready);
      else seconds.push(await at(page, 'playground-ready'));
      if (i === 3) for (const { text, at: t } of await page.evaluate(() => window.__stages)) console.log(`    ${(t / 1000).toFixed(2).padStart(6)} s  ${text}`);
      await page.close();
    }
    console.log(`  second visit, loopback, cached: ready after ${(median(seconds) / 1000).toFixed(2)} s (${seconds.map((s) => (s / 1000).toFixed(2)).join(', ')})`);
  } finally {
    await browser.close();
    await server.close();
  }
  console.log('');
}

/**
 * The page's own default run (primes, threads, the form's 4 workers) three
 * times in each of 3 fresh browsers on loopback: is the first what the
 * third shows? Wall time and the slowest thread start of each run.
 */
export async function defaultRun() {
  const { openPlayground } = await import('./browser.mjs');
  console.log('the default run (primes, threads, 4 workers), runs 1 / 2 / 3 in 3 fresh browsers');
  const server = await serve(dist);
  try {
    for (let b = 0; b < 3; b++) {
      const browser = await launch();
      const page = await openPlayground(browser.context, server.url);
      const runs = [];
      for (let i = 0; i < 3; i++) {
        const r = await page.evaluate(() => window.playground.run({ scenario: 'primes', model: 'threads' }));
        const spawn = Math.max(...r.tasks.flatMap((t) => t.phases.filter((p) => p.kind === 'spawn').map((p) => p.end_ms - p.start_ms)));
        runs.push(`${r.wall_ms.toFixed(0)} ms (slowest start ${spawn.toFixed(2)} ms)`);
      }
      console.log(`  browser ${b + 1}: ${runs.join(' / ')}`);
      await browser.close();
    }
  } finally {
    await server.close();
  }
  console.log('');
}
