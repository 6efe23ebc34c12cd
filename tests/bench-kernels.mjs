// Kernel speed of this build, or of two builds side by side (`node bench.mjs
// kernels` with COMPARE_DIST=<another build's dist>): each scenario's
// kernels serial and on a pool, 3 runs in each of 2 fresh browsers per
// build, the builds alternating; medians of 6. For a change to the build
// (opt-levels, wasm-opt) that must not make a kernel slower.
import { serve } from './server.mjs';
import { launch, openPlayground } from './browser.mjs';
import { dist } from './paths.mjs';

const CONFIGS = [
  { scenario: 'primes', model: 'serial', params: { limits: [100000, 100000] } },
  { scenario: 'primes', model: 'threads', workers: 2, gil: 'on', params: { limits: [60000, 60000] } },
  { scenario: 'primes', model: 'processes', workers: 2, params: { limits: [100000, 100000] } },
  { scenario: 'factorial', model: 'serial', params: { n: 3000 } },
  { scenario: 'wordcount', model: 'serial', params: { preset: 'corpus', corpus_mb: 16, text: '', procs: 1, threads_per_proc: 1 } },
  { scenario: 'sample', model: 'serial' },
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function kernels() {
  const builds = [dist, process.env.COMPARE_DIST].filter(Boolean);
  console.log(`kernel speed, medians of 6 runs (2 fresh browsers × 3)${builds.length > 1 ? `: ${builds.join(' / ')}` : ''}`);
  const walls = new Map();
  for (let round = 0; round < 2; round++) {
    for (const build of builds) {
      const server = await serve(build, { isolated: true });
      const browser = await launch();
      try {
        const page = await openPlayground(browser.context, server.url);
        const only = process.env.SCENARIOS?.split(',');
        for (const config of CONFIGS.filter((c) => !only || only.includes(c.scenario))) {
          const key = `${config.scenario} ${config.model}`;
          for (let i = 0; i < 3; i++) {
            const record = await page.evaluate((c) => window.playground.run(c), config);
            const row = walls.get(key) ?? new Map();
            row.set(build, [...(row.get(build) ?? []), record.wall_ms]);
            walls.set(key, row);
          }
        }
      } finally {
        await browser.close();
        await server.close();
      }
    }
  }
  for (const [key, row] of walls) {
    const ms = builds.map((b) => median(row.get(b)));
    const ratio = ms.length > 1 ? `  (${(ms[1] / ms[0]).toFixed(3)}×)` : '';
    console.log(`  ${key.padEnd(20)} ${ms.map((m) => `${m.toFixed(0)} ms`).join(' / ')}${ratio}`);
  }
  console.log('');
}
