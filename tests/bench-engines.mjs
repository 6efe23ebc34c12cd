// Benchmark per browser engine (tests/engines): time from navigation to
// `ready` (median of 3 fresh browsers), and primes with 2 workers (limits
// 40009, 40009): serial vs threads (GIL off) vs processes, best of 3 runs
// each in one page, as speedups over serial measured in the same run.
// Prints; no pass/fail. Run by `bash .ci/bench.sh`; `ENGINES=` picks.
import { dist } from './paths.mjs';
import { serve } from './server.mjs';
import { ENGINES, selectedEngines } from './engines/index.mjs';
import { whenReady } from './engines/tab.mjs';

const readyAt = () => performance.getEntriesByName('playground-ready')[0]?.startTime;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await serve(dist, { isolated: true });
console.log('per engine: navigation → ready (median of 3 fresh browsers); primes 2 × 40009, 2 workers, best of 3');
for (const name of selectedEngines()) {
  const times = [];
  let speedups = 'no shared memory: threads off';
  for (let i = 0; i < 3; i++) {
    const browser = await ENGINES[name].launch();
    try {
      await browser.tab.goto(server.url);
      const ready = await browser.tab.waitFor(whenReady);
      times.push(await browser.tab.waitFor(readyAt));
      if (i > 0) continue;
      const best = async (config) => {
        let min = Infinity;
        for (let k = 0; k < 3; k++) {
          const r = await browser.tab.evaluate((c) => window.playground.run(c), config);
          min = Math.min(min, r.wall_ms);
        }
        return min;
      };
      const primes = { scenario: 'primes', workers: 2, gil: 'off', params: { limits: [40009, 40009] } };
      const serial = await best({ ...primes, model: 'serial' });
      const processes = await best({ ...primes, model: 'processes' });
      const threads = ready.shared_memory ? await best({ ...primes, model: 'threads' }) : null;
      speedups = `serial ${serial.toFixed(0)} ms; processes ×2 ${(serial / processes).toFixed(2)}×`
        + (threads ? `; threads ×2 ${(serial / threads).toFixed(2)}×` : '; threads off (no shared memory)');
    } finally {
      await browser.close();
    }
  }
  console.log(`  ${name.padEnd(21)} ready after ${median(times).toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')}); ${speedups}`);
}
await server.close();
