// Captures one run record per scenario (plus a stopped and a failed run)
// from a built site, as JSON fixtures for a native test that checks record
// JSON stays compatible: crates/engine/tests/records/<name>.json.
//
//   cd tests && PLAYGROUND_DIST=/path/to/dist node capture-records.mjs
//
// Serves the build (isolated) on 127.0.0.1, drives Chromium, and stops
// both itself. Configs are small: each run takes well under two seconds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dist } from './paths.mjs';
import { serve } from './server.mjs';
import { launch, openPlayground } from './browser.mjs';

const out = fileURLToPath(new URL('../crates/engine/tests/records/', import.meta.url));

/** One ordinary run per scenario id. */
const CONFIGS = {
  primes: { scenario: 'primes', model: 'threads', workers: 2, gil: 'off', params: { limits: [3000, 2000, 1000] } },
  sample: { scenario: 'sample', model: 'processes', workers: 2, params: { k: 20000, calls: 2 } },
  factorial: { scenario: 'factorial', model: 'threads', workers: 2, gil: 'off', params: { n: 10 } },
  'pool-overhead': { scenario: 'pool-overhead', model: 'threads', workers: 2, gil: 'off', params: { work: 'sleep', unit_ms: 20, reuse: false, repeats: 2 } },
  'shared-state': { scenario: 'shared-state', model: 'threads', workers: 2, gil: 'on', params: { items: 4, increments: 1000 } },
  quadrants: { scenario: 'quadrants', model: 'threads', workers: 2, params: { tasks: 4, wait_ms: 20, work: 2000 } },
  downloads: { scenario: 'downloads', model: 'threads', gil: 'off', params: { preset: 'pages', latency_ms: 50, limit: 3 } },
  pipeline: { scenario: 'pipeline', model: 'pipeline', params: { variant: 5, cpucount: 2, scale_ms: 5 } },
  wordcount: { scenario: 'wordcount', model: 'dataflow', params: { preset: 'headlines', procs: 2, threads_per_proc: 2 } },
};
/** A long run, stopped after a moment. */
const STOPPED = { scenario: 'primes', model: 'serial', workers: 1, params: { limits: [200000, 200000, 200000] } };
/** A run whose task 3 panics (as if it raised): the map fails. */
const FAILED = { scenario: 'factorial', model: 'threads', workers: 2, gil: 'off', params: { n: 10, fail_at: 3 } };

function write(name, record, { result = true, error = false } = {}) {
  for (const key of ['scenario', 'model', 'params', 'result']) {
    if (!(key in record)) throw new Error(`${name}: the record has no ${key}`);
  }
  if (result && record.result === null) throw new Error(`${name}: no result (${record.error})`);
  if (result && 'error' in record) throw new Error(`${name}: error ${record.error}`);
  if (error && typeof record.error !== 'string') throw new Error(`${name}: no error`);
  const file = join(out, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`${file}: ${record.wall_ms.toFixed(0)} ms${record.error ? `, error: ${record.error}` : ''}`);
}

const server = await serve(dist, { isolated: true });
const browser = await launch();
try {
  mkdirSync(out, { recursive: true });
  const page = await openPlayground(browser.context, server.url);
  await page.evaluate(() => window.playground.ready);
  const ids = await page.evaluate(() => window.playground.scenarios().map((s) => s.id));
  const missing = ids.filter((id) => !(id in CONFIGS));
  if (missing.length) throw new Error(`no config for scenario(s): ${missing.join(', ')}`);
  const run = (config) => page.evaluate((c) => window.playground.run(c), config);

  for (const id of ids) write(id, await run(CONFIGS[id]));

  await page.evaluate((c) => { window.__long = window.playground.run(c).catch((e) => ({ rejected: e.message })); }, STOPPED);
  await page.waitForTimeout(700);
  await page.evaluate(() => window.playground.stop());
  const stopped = await page.evaluate(() => window.__long);
  if (stopped.rejected) throw new Error(`the stopped run rejected: ${stopped.rejected}`);
  write('stopped', stopped, { result: false, error: true });

  write('failed', await run(FAILED), { result: false, error: true });
} finally {
  await browser.close();
  await server.close();
}
