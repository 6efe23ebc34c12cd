// Benchmark: serial vs threads (GIL off, GIL on) vs processes with 2 workers,
// measured in one browser session against the release build, best of 3 runs
// each. Prints the ratios; no pass/fail. Run via `bash .ci/bench.sh`.
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';
import { launch, openPlayground } from './browser.mjs';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const REPEATS = 3;
const WORKLOADS = {
  // The tutorial's limits: unequal tasks, so 2 workers can reach at most
  // 1.6x with tasks handed out in input order.
  'default limits': [50328, 22756, 39371, 44832],
  // Four equal tasks: 2 workers can ideally reach 2x.
  'balanced limits': [60000, 60000, 60000, 60000],
};
const CONFIGS = [
  { name: 'serial', model: 'serial' },
  { name: 'threads x2, GIL off', model: 'threads', workers: 2, gil: 'off' },
  { name: 'threads x2, GIL on', model: 'threads', workers: 2, gil: 'on' },
  { name: 'processes x2', model: 'processes', workers: 2 },
];

const server = await serve(dist, { isolated: true });
const browser = await launch();
try {
  const page = await openPlayground(browser.context, server.url);
  const info = await page.evaluate(() => window.playground.ready);
  console.log(`browser: ${info.cores} cores, isolated=${info.isolated}, build=${info.build}`);
  for (const [workload, limits] of Object.entries(WORKLOADS)) {
    console.log(`\n${workload}: ${limits.join(', ')}`);
    const best = {};
    for (let i = 0; i < REPEATS; i++) {
      for (const c of CONFIGS) {
        const r = await page.evaluate((cfg) => window.playground.run(cfg),
          { scenario: 'primes', model: c.model, workers: c.workers ?? 1, gil: c.gil ?? 'off', params: { limits } });
        if (r.error) throw new Error(`${c.name}: ${r.error}`);
        best[c.name] = Math.min(best[c.name] ?? Infinity, r.wall_ms);
      }
    }
    const serial = best.serial;
    for (const c of CONFIGS) {
      const ratio = serial / best[c.name];
      console.log(`  ${c.name.padEnd(22)} ${best[c.name].toFixed(1).padStart(8)} ms   speedup vs serial ${ratio.toFixed(2)}x`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
