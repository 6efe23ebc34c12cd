// The runtime's middle, in the browser where it runs: the pools (threads
// from the warm reserve, isolated workers, async futures) and the run record
// they feed, checked through the page API by the structure of the records.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { maxInFlight, phasesOf } from './spans.mjs';
import { openSession } from './browser.mjs';

let session, page;

before(async () => {
  session = await openSession();
  ({ page } = session);
});

after(async () => {
  await session?.close();
});

const run = (config) => page.evaluate((c) => window.playground.run(c), config);
const spawns = (record) => record.tasks.filter((t) => t.id === null && t.phases.some((p) => p.kind === 'spawn'));
const taskSpans = (record) => record.tasks.filter((t) => t.id !== null);

test('a thread pool starts one thread per worker, beyond the reserve too, and every task runs on one of them', async () => {
  const { cores } = session.ready;
  for (const workers of [1, cores, cores + 3]) {
    const r = await run({ scenario: 'primes', model: 'threads', workers, gil: 'off', params: { limits: '3000,2000,4000,1000,3500' } });
    assert.equal(r.error, undefined);
    const started = spawns(r);
    assert.equal(started.length, workers, `${workers} threads started`);
    assert.deepEqual(started.map((s) => s.worker).sort((a, b) => a - b), [...Array(workers).keys()], 'one start per lane');
    for (const t of taskSpans(r)) assert.ok(t.worker < workers, `task ${t.id} on thread ${t.worker}`);
    assert.deepEqual(r.result.items.map((i) => i.n), [3000, 2000, 4000, 1000, 3500], 'outputs in input order');
  }
});

test('a process pool replaces the worker whose task panicked and still maps the rest', async () => {
  // Enough tasks after the failure (larger and larger factorials) that the
  // replacement is up before the map ends.
  const n = 3000;
  const r = await run({ scenario: 'factorial', model: 'processes', workers: 2, params: { n, fail_at: 2 } });
  assert.match(r.error, /task 2 \(factorial\(2\)\) failed: panicked/);
  // Two starts for the pool, one more for the replacement of the dead worker.
  const started = spawns(r);
  assert.equal(started.length, 3, JSON.stringify(started.map((s) => s.label)));
  const replaced = started.reduce((a, b) => (a.end_ms > b.end_ms ? a : b));
  const later = taskSpans(r).filter((t) => t.worker === replaced.worker && t.start_ms >= replaced.end_ms);
  assert.ok(later.length > 0, 'the replacement takes tasks');
  assert.equal(taskSpans(r).length, n, 'every task has its span');
  const crossings = phasesOf(taskSpans(r), 'transfer');
  assert.ok(crossings.length >= 2 * (n - 1), 'arguments and results cross by message');
});

test('async keeps at most its limit of downloads in flight on as many lanes', async () => {
  const r = await run({ scenario: 'downloads', model: 'async', params: { preset: 'pages', latency_ms: 150, limit: 3 } });
  assert.equal(r.error, undefined);
  const io = phasesOf(taskSpans(r), 'io');
  assert.equal(io.length, 6);
  assert.ok(maxInFlight(io) <= 3 && maxInFlight(io) >= 2, `in flight: ${maxInFlight(io)}`);
  assert.ok(new Set(io.map((p) => p.worker)).size <= 3);
});

test('the record is relative to the run start: spans inside the wall time, CPU time their compute phases', async () => {
  for (const model of ['serial', 'threads', 'processes']) {
    const r = await run({ scenario: 'primes', model, workers: 2, params: { limits: '4000,3000' } });
    for (const t of r.tasks) {
      assert.ok(t.start_ms >= -1 && t.end_ms <= r.wall_ms + 1, `${model}: ${t.label} ${t.start_ms}..${t.end_ms} in 0..${r.wall_ms}`);
      for (const p of t.phases) assert.ok(p.start_ms >= t.start_ms - 1 && p.end_ms <= t.end_ms + 1, `${model}: phase inside its span`);
    }
    const compute = phasesOf(r.tasks, 'compute').reduce((a, p) => a + p.end_ms - p.start_ms, 0);
    assert.ok(Math.abs(compute - r.cpu_ms) < 1e-6, `${model}: cpu_ms ${r.cpu_ms} = compute ${compute}`);
    assert.deepEqual(Object.keys(r).sort(), ['cpu_ms', 'env', 'gil', 'model', 'params', 'result', 'scenario', 'start_method', 'tasks', 'wall_ms', 'workers']);
  }
});

/** The instance number in a process start's label ("… (instance 17) …"). */
const instanceOf = (span) => Number(/instance (\d+)/.exec(span.label)?.[1]);

test('start methods: forkserver hands out instances started in advance, spawn starts them on the clock; none is ever reused', async () => {
  const seen = new Set();
  const primes = (start_method, workers = 4) => run({ scenario: 'primes', model: 'processes', workers, start_method, params: { limits: '3000,2000,4000,1000' } });
  for (let round = 0; round < 3; round++) {
    const fork = await primes('forkserver');
    assert.equal(fork.start_method, 'forkserver');
    assert.deepEqual(fork.result.items.map((i) => i.count), [430, 303, 550, 168]);
    const handed = spawns(fork);
    assert.equal(handed.length, 4, 'one start per process');
    // The reserve refilled after the last pool: every start was paid in advance.
    assert.ok(handed.every((s) => /from the fork server, started in advance/.test(s.label)), handed.map((s) => s.label).join('; '));
    assert.ok(handed.every((s) => s.end_ms === s.start_ms), 'no start on the clock');
    const cold = await primes('spawn');
    assert.equal(cold.start_method, 'spawn');
    assert.deepEqual(cold.result.items, fork.result.items, 'the same results');
    const started = spawns(cold);
    assert.equal(started.length, 4);
    assert.ok(started.every((s) => !/fork server/.test(s.label) && s.end_ms > s.start_ms), 'spawn starts are on the clock');
    for (const s of [...handed, ...started]) {
      const n = instanceOf(s);
      assert.ok(Number.isInteger(n), s.label);
      assert.ok(!seen.has(n), `instance ${n} used once only`);
      seen.add(n);
    }
  }
  // A pool larger than the fork server holds (12): the rest start for
  // real, on the clock.
  const big = await primes('forkserver', 16);
  const starts = spawns(big);
  assert.equal(starts.length, 16);
  const real = starts.filter((s) => !/fork server/.test(s.label));
  assert.ok(real.length >= 16 - 12, `${real.length} started for real beyond the reserve`);
  assert.ok(real.every((s) => s.end_ms > s.start_ms));
  // Bad input names the key and what is allowed.
  const refused = (c) => page.evaluate((c) => window.playground.run(c).then(() => 'resolved', (e) => e.message), c);
  assert.match(await refused({ scenario: 'primes', model: 'processes', start_method: 'fork' }), /start_method: must be one of spawn, forkserver/);
  assert.match(await refused({ scenario: 'primes', model: 'processes', startmethod: 'spawn' }), /startmethod: is not a key of a run config \(it takes: scenario, model, workers, gil, start_method, params\)/);
});
