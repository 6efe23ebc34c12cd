// Benchmark: serial vs threads (GIL off, GIL on) vs processes with 2 workers
// on primes, sampling (S2) serial vs 2 processes, downloads (S6), the
// pipeline's table (S7) and word-count layouts (S8),
// measured in one browser session against the release build, best of 3 runs
// each. Prints the ratios; no pass/fail. Run via `bash .ci/bench.sh`.
// `node bench.mjs first pipeline` runs only the parts named (startup,
// firstvisit, default, first, starts, kernels, models, pipeline,
// wordcount); no names runs them all.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dist } from './paths.mjs';
import { serve } from './server.mjs';
import { launch, openPlayground } from './browser.mjs';

const only = process.argv.slice(2);
const want = (part) => only.length === 0 || only.includes(part);

/**
 * Start-up on an isolated page and on one that cannot be isolated (no
 * headers, service workers blocked): the wasm each loads (raw and gzip) and
 * the time from navigation to `ready`, median of 3 fresh browsers each.
 */
async function startup() {
  console.log('start-up: wasm loaded and navigation → ready (median of 3 fresh browsers)');
  for (const [name, isolated] of [['isolated', true], ['not isolated', false]]) {
    const server = await serve(dist, { isolated });
    const times = [];
    let wasm = [];
    for (let i = 0; i < 3; i++) {
      const b = await launch(isolated ? {} : { serviceWorkers: 'block' });
      const page = await openPlayground(b.context, server.url);
      const info = await page.evaluate(() => window.playground.ready);
      if (info.isolated !== isolated) throw new Error(`${name}: the page says isolated=${info.isolated}`);
      times.push(await page.evaluate(() => performance.getEntriesByName('playground-ready')[0].startTime));
      // The page's wasm and the compute side's: name them from the build.
      wasm = readdirSync(dist).filter((f) => f.endsWith('_bg.wasm'));
      await b.close();
    }
    await server.close();
    times.sort((a, b) => a - b);
    const sizes = wasm.map((f) => {
      const bytes = readFileSync(join(dist, f));
      return `${f} ${(bytes.length / 1024).toFixed(0)} KiB raw, ${(gzipSync(bytes).length / 1024).toFixed(0)} KiB gzip`;
    });
    console.log(`  ${name.padEnd(13)} ready after ${times[1].toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')}); wasm: ${sizes.join('; ')}`);
  }
  console.log('');
}

if (want('startup')) await startup();

if (want('firstvisit')) await (await import('./bench-firstvisit.mjs')).firstVisit();
if (want('default')) await (await import('./bench-firstvisit.mjs')).defaultRun();

/**
 * The first run after loading must tell what the tenth does: 5 fresh
 * browsers, each running primes 2 × 40009 (GIL off) serial then threads ×2,
 * three times in a row; and the main thread's long tasks (> 50 ms) from
 * navigation to `ready`.
 */
async function firstRun() {
  console.log('first run after loading: primes 2 × 40009, GIL off (5 fresh browsers)');
  const server = await serve(dist, { isolated: true });
  const config = { scenario: 'primes', workers: 2, gil: 'off', params: { limits: [40009, 40009] } };
  const rows = [];
  const longTasks = [];
  for (let b = 0; b < 5; b++) {
    const browser = await launch();
    // Polled from here, not with waitForFunction: that injects a large
    // script into the page, itself a long task on the page's thread.
    const page = await browser.context.newPage();
    await page.goto(server.url);
    while (!(await page.evaluate(() => window.playground !== undefined))) await new Promise((r) => setTimeout(r, 200));
    await page.evaluate(() => window.playground.ready);
    longTasks.push(await page.evaluate(() => new Promise((resolve) => {
      const ready = performance.getEntriesByName('playground-ready')[0].startTime;
      new PerformanceObserver((list) => resolve(list.getEntries().filter((e) => e.startTime < ready).map((e) => Math.round(e.duration))))
        .observe({ type: 'longtask', buffered: true });
      setTimeout(() => resolve([]), 500);
    })));
    const runs = [];
    for (let k = 0; k < 3; k++) {
      const serial = await page.evaluate((c) => window.playground.run({ ...c, model: 'serial' }), config);
      const threads = await page.evaluate((c) => window.playground.run({ ...c, model: 'threads' }), config);
      const spawn = Math.max(...threads.tasks.filter((t) => t.id === null).map((t) => t.end_ms - t.start_ms));
      runs.push({ serial: serial.wall_ms, threads: threads.wall_ms, spawn });
    }
    rows.push(runs);
    await browser.close();
  }
  await server.close();
  for (let k = 0; k < 3; k++) {
    const m = (f) => median(rows.map((r) => f(r[k])));
    console.log(`  run ${k + 1}: serial ${m((r) => r.serial).toFixed(0)} ms, threads ×2 ${m((r) => r.threads).toFixed(0)} ms `
      + `= ${m((r) => r.threads / r.serial).toFixed(2)}× serial, thread spawn ${m((r) => r.spawn).toFixed(2)} ms (medians of 5)`);
  }
  console.log(`  first run's serial / third run's: ${median(rows.map((r) => r[0].serial / r[2].serial)).toFixed(2)}`);
  console.log(`  main-thread long tasks (> 50 ms) before ready, per load: ${longTasks.map((l) => (l.length ? l.join('+') + ' ms' : 'none')).join('; ')}`);
  console.log('');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
if (want('first')) await firstRun();

/**
 * What starting a thread and a process costs. Threads: the spawn phases of a
 * run that starts 8 (the reserve warm). Processes: a pool of 4 ready, beside
 * the floor this browser allows, measured from the page: 4 empty module
 * workers that post once, and 4 that also instantiate the already compiled
 * module with a fresh memory (what a process start cannot avoid).
 */
async function starts() {
  const site = mkdtempSync(join(tmpdir(), 'playground-bench-'));
  cpSync(dist, site, { recursive: true });
  const glue = readdirSync(site).find((f) => /^compute-[0-9a-f]+\.js$/.test(f));
  writeFileSync(join(site, 'floor-empty.js'), 'postMessage(performance.timeOrigin + performance.now());\n');
  writeFileSync(join(site, 'floor-instance.js'), `import { initSync } from './${glue}';
onmessage = ({ data }) => { initSync({ module: data }); postMessage(performance.timeOrigin + performance.now()); };\n`);
  const server = await serve(site, { isolated: true });
  const b = await launch();
  try {
    const page = await openPlayground(b.context, server.url);
    await page.evaluate(() => window.playground.ready);
    const run = (c) => page.evaluate((c) => window.playground.run(c), c);
    const eight = { scenario: 'primes', model: 'threads', workers: 8, gil: 'off', params: { limits: Array(8).fill(1000) } };
    await run(eight); // grows the reserve to 8
    const threadStarts = [];
    for (let i = 0; i < 5; i++) {
      const r = await run(eight);
      threadStarts.push(median(r.tasks.filter((t) => t.id === null).map((t) => t.end_ms - t.start_ms)));
    }
    console.log(`thread start: median ${median(threadStarts).toFixed(2)} ms (medians of 5 runs that start 8: ${threadStarts.map((x) => x.toFixed(2)).join(', ')})`);

    const wasmFile = readdirSync(site).find((f) => /^compute-[0-9a-f]+_bg\.wasm$/.test(f));
    await page.evaluate(async (file) => { window.__compiled = await WebAssembly.compileStreaming(fetch(`./${file}`)); }, wasmFile);
    const floor = (script) => page.evaluate(async ([script]) => {
      const module = window.__compiled;
      const t0 = performance.timeOrigin + performance.now();
      const ends = await Promise.all([0, 1, 2, 3].map(() => new Promise((resolve) => {
        const w = new Worker(`./${script}`, { type: 'module' });
        w.onmessage = (e) => { resolve(e.data); w.terminate(); };
        w.postMessage(module);
      })));
      return Math.max(...ends) - t0;
    }, [script]);
    const empty = [];
    const instance = [];
    const pool = { spawn: [], forkserver: [] };
    for (let i = 0; i < 5; i++) {
      empty.push(await floor('floor-empty.js'));
      instance.push(await floor('floor-instance.js'));
      for (const start_method of ['spawn', 'forkserver']) {
        const r = await run({ scenario: 'primes', model: 'processes', workers: 4, start_method, params: { limits: [10, 10, 10, 10] } });
        const spawns = r.tasks.filter((t) => t.id === null);
        // From the run's start (the pool is asked for at once) to the last worker ready.
        pool[start_method].push(Math.max(...spawns.map((t) => t.end_ms)));
      }
    }
    const [e, f, s, k] = [median(empty), median(instance), median(pool.spawn), median(pool.forkserver)];
    console.log(`process pool of 4 ready, spawn: ${s.toFixed(1)} ms = ${(s / f).toFixed(2)}x the floor of ${f.toFixed(1)} ms `
      + `(4 module workers instantiating the compiled module; empty module workers alone: ${e.toFixed(1)} ms), medians of 5`);
    console.log(`process pool of 4 ready, forkserver: ${k.toFixed(2)} ms (instances started in advance), medians of 5`);
  } finally {
    await b.close();
    await server.close();
    rmSync(site, { recursive: true, force: true });
  }
  console.log('');
}

if (want('starts')) await starts();
if (want('kernels')) await (await import('./bench-kernels.mjs')).kernels();

const REPEATS = 3;
const WORKLOADS = {
  // The tutorial's limits: unequal tasks, so 2 workers can reach at most
  // 1.6x with tasks handed out in input order.
  'default limits': [50328, 22756, 39371, 44832],
  // Four equal tasks, long enough that starting the pool (tens of ms) is
  // small beside the work: 2 workers can ideally reach 2x.
  'balanced limits': [100000, 100000, 100000, 100000],
};
const CONFIGS = [
  { name: 'serial', model: 'serial' },
  { name: 'threads x2, GIL off', model: 'threads', workers: 2, gil: 'off' },
  { name: 'threads x2, GIL on', model: 'threads', workers: 2, gil: 'on' },
  { name: 'processes x2', model: 'processes', workers: 2 },
];

if (want('models') || want('pipeline') || want('wordcount')) {
const server = await serve(dist, { isolated: true });
const browser = await launch();
try {
  const page = await openPlayground(browser.context, server.url);
  const info = await page.evaluate(() => window.playground.ready);
  console.log(`browser: ${info.cores} cores, isolated=${info.isolated}, build=${info.build}`);
  if (want('models')) {
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
  // S2: sampling into lists, the tutorial's k. Wall time should fall with
  // two processes while CPU time (busy time summed over workers) stays put.
  const k = 10_000_000;
  console.log(`\nsample: k = ${k}, 2 calls`);
  const s2 = {};
  for (let i = 0; i < REPEATS; i++) {
    for (const [name, model, gil] of [['serial', 'serial', 'off'], ['processes', 'processes', 'off'], ['threads, GIL off', 'threads', 'off'], ['threads, GIL on', 'threads', 'on']]) {
      const r = await page.evaluate((cfg) => window.playground.run(cfg),
        { scenario: 'sample', model, workers: 2, gil, params: { k, calls: 2 } });
      if (r.error) throw new Error(`sample ${name}: ${r.error}`);
      if (!s2[name] || r.wall_ms < s2[name].wall_ms) s2[name] = r;
    }
  }
  for (const model of ['serial', 'processes', 'threads, GIL off', 'threads, GIL on']) {
    const r = s2[model];
    console.log(`  ${model.padEnd(22)} wall ${r.wall_ms.toFixed(1).padStart(8)} ms (${(r.wall_ms / s2.serial.wall_ms).toFixed(2)}x serial)   CPU ${r.cpu_ms.toFixed(1).padStart(8)} ms (${(r.cpu_ms / s2.serial.cpu_ms).toFixed(2)}x serial)`);
  }
  // S4: pool overhead on "square", 1000 tiny tasks per repeat, pools of 2.
  console.log('\npool-overhead square: 1000 tiny tasks per repeat, pools of 2, median per repeat of 5');
  // GIL on, as in CPython; every configuration once first, so that the
  // engine has optimised the code paths before anything is timed.
  const square = async (model, reuse) => {
    const r = await page.evaluate((cfg) => window.playground.run(cfg),
      { scenario: 'pool-overhead', model, workers: 2, gil: 'on', params: { work: 'square', reuse, repeats: 5 } });
    if (r.error) throw new Error(`pool-overhead ${model}: ${r.error}`);
    return median(r.result.per_repeat_ms);
  };
  for (const [model, reuse] of [['serial', false], ['threads', false], ['threads', true], ['processes', false], ['processes', true]]) {
    await square(model, reuse);
  }
  const sq = {
    serial: await square('serial', false),
    'threads, fresh': await square('threads', false), 'threads, reused': await square('threads', true),
    'processes, fresh': await square('processes', false), 'processes, reused': await square('processes', true),
  };
  for (const [name, ms] of Object.entries(sq)) {
    console.log(`  ${name.padEnd(22)} ${ms.toFixed(2).padStart(8)} ms   ${(ms / sq.serial).toFixed(1)}x serial`);
  }
  console.log(`  serial cost per tiny task: ${(sq.serial).toFixed(2)} us (1000 tasks: ms per repeat = us per task)`);
  // S6: 30 downloads at 200 ms latency from the app's latency server.
  console.log('\ndownloads: 30 files, 200 ms latency');
  const S6 = [
    ['serial', 'serial', 6, 'off'], ['threads, pool of 6', 'threads', 6, 'off'], ['threads, pool of 6, GIL on', 'threads', 6, 'on'],
    ['async, 6 in flight', 'async', 6, 'off'], ['batches of 10', 'batches', 10, 'off'], ['a thread per file', 'per-task', 6, 'off'],
    ['processes, pool of 6', 'processes', 6, 'off'],
  ];
  let s6serial;
  // One thread per file starts 30: let the thread reserve grow to that first.
  await page.evaluate((cfg) => window.playground.run(cfg), { scenario: 'downloads', model: 'per-task', params: { preset: 'images', latency_ms: 10 } });
  for (const [name, model, limit, gil] of S6) {
    const r = await page.evaluate((cfg) => window.playground.run(cfg),
      { scenario: 'downloads', model, gil, params: { preset: 'images', latency_ms: 200, limit } });
    if (r.error) throw new Error(`downloads ${name}: ${r.error}`);
    s6serial ??= r.wall_ms;
    const starts = r.tasks.filter((t) => t.id === null);
    const total = starts.reduce((a, t) => a + t.end_ms - t.start_ms, 0);
    console.log(`  ${name.padEnd(28)} ${r.wall_ms.toFixed(0).padStart(6)} ms   ${(s6serial / r.wall_ms).toFixed(2)}x   (${starts.length} starts, longest ${Math.max(0, ...starts.map((t) => t.end_ms - t.start_ms)).toFixed(1)} ms, ${total.toFixed(0)} ms summed)`);
  }
  }
  if (want('pipeline')) {
  // S7: the report pipeline's whole table, reports as timed waits, then
  // variant 5 with reports as CPU work (gains stop at the core count).
  console.log('\npipeline: the whole table, tutorial seconds (1 s = 20 ms), report = wait, start method forkserver (the default);');
  console.log('  "vs stages": measured against what the stage durations imply (the schedule), "vs expected": with the measured start-ups');
  const TABLE = [[1, 1], [2, 1], [3, 1], [4, 1], [4, 2], [4, 3], [4, 4], [5, 3], [5, 4], [5, 5], [5, 6], [6, 5]];
  const pipe = (variant, cpucount, report, start_method = 'forkserver') => page.evaluate((cfg) => window.playground.run(cfg),
    { scenario: 'pipeline', model: 'pipeline', start_method, params: { variant, cpucount, report } });
  const pct = (m, x) => `${((m / x - 1) * 100).toFixed(1)} %`;
  for (const [variant, cpucount] of TABLE) {
    const r = await pipe(variant, cpucount, 'wait');
    if (r.error) throw new Error(`pipeline ${variant}/${cpucount}: ${r.error}`);
    const { measured_s: m, expected_s: e, schedule_s: s, article_s: a } = r.result;
    console.log(`  variant ${variant} x${cpucount}: article ${a ?? '-'} s, schedule ${s} s, expected ${e} s, measured ${m} s (vs stages ${pct(m, s)}, vs expected ${pct(m, e)})`);
  }
  console.log('  start method spawn, variant 4 (a fresh pool per batch pays real starts):');
  for (const cpucount of [1, 2, 3, 4]) {
    const r = await pipe(4, cpucount, 'wait', 'spawn');
    const { measured_s: m, expected_s: e, schedule_s: s, startup_s: u } = r.result;
    console.log(`    x${cpucount}: schedule ${s} s, expected ${e} s, measured ${m} s (vs stages ${pct(m, s)}, vs expected ${pct(m, e)}), start-ups ${u} s`);
  }
  console.log('  report = cpu, variant 5:');
  for (const cpucount of [1, 2, 3, 4]) {
    const r = await pipe(5, cpucount, 'cpu');
    if (r.error) throw new Error(`pipeline cpu ${cpucount}: ${r.error}`);
    console.log(`    ${cpucount} workers: measured ${r.result.measured_s} s`);
  }
  }
  if (want('wordcount')) {
  // S8: word count on the large corpus, P x T layouts against 1 x 1, after
  // one warm-up run (the first run also pays for compiling the kernel).
  const MB = 128;
  console.log(`\nwordcount: ${MB} MB corpus, best of ${REPEATS}`);
  const LAYOUTS = [[1, 1], [2, 1], [1, 2], [2, 2]];
  const count = (procs, threads) => page.evaluate((cfg) => window.playground.run(cfg),
    { scenario: 'wordcount', model: 'dataflow', params: { preset: 'corpus', corpus_mb: MB, procs, threads_per_proc: threads } });
  await count(1, 1);
  const wc = {};
  for (let i = 0; i < REPEATS; i++) {
    for (const [p, t] of LAYOUTS) {
      const r = await count(p, t);
      if (r.error) throw new Error(`wordcount ${p}x${t}: ${r.error}`);
      wc[`${p}x${t}`] = Math.min(wc[`${p}x${t}`] ?? Infinity, r.wall_ms);
    }
  }
  for (const [p, t] of LAYOUTS) {
    const key = `${p}x${t}`;
    console.log(`  ${key}: ${wc[key].toFixed(0).padStart(6)} ms   ${(wc['1x1'] / wc[key]).toFixed(2)}x vs 1x1`);
  }
  // The counting kernel alone, for comparison with native_wordcount (32 MB).
  let serial32 = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const r = await page.evaluate((cfg) => window.playground.run(cfg), { scenario: 'wordcount', model: 'serial', params: { preset: 'corpus', corpus_mb: 32 } });
    serial32 = Math.min(serial32, r.wall_ms);
  }
  console.log(`  serial count of the 32 MB corpus on the compute worker: ${serial32.toFixed(1)} ms`);
  }
} finally {
  await browser.close();
  await server.close();
}
}
