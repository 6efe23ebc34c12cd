// The published schemas (dist/schema/) refuse what the page would never
// write, so the browser tests' checks against them can fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertValid } from './schema.mjs';

const record = {
  scenario: 'primes', model: 'serial', workers: 1, gil: 'on', start_method: 'forkserver', params: { limits: [10] },
  env: { cores: 2, isolated: true, shared_memory: true, build: 'threads', userAgent: 'test' },
  wall_ms: 1.5, cpu_ms: 1.25,
  tasks: [{ id: 0, label: 'primes below 10', worker: 0, start_ms: 0, end_ms: 1.5, phases: [{ kind: 'compute', start_ms: 0, end_ms: 1.5 }] }],
  result: { items: [{ n: 10, count: 4, digits: 3, first_digits: '210', last_digits: '210' }] },
};

test('a record of the page\'s shape passes, and one field wrong fails', () => {
  assertValid('record', record);
  assertValid('record', { ...record, result: null, error: 'Stopped before all tasks finished.' });
  const wrong = [
    { ...record, result: { items: [{ ...record.result.items[0], count: '4' }] } },
    { ...record, result: { items: [], extra: 1 } },
    { ...record, model: 'no-such-model' },
    { ...record, tasks: [{ ...record.tasks[0], phases: [{ kind: 'nap', start_ms: 0, end_ms: 1 }] }] },
    { ...record, wall_ms: -0.5 + 'ms' },
    { ...record, workers: 1.5 },
  ];
  for (const r of wrong) assert.throws(() => assertValid('record', r), /does not match/, JSON.stringify(r).slice(0, 120));
});

test('configs and embed messages: what validation takes, and nothing else', () => {
  assertValid('config', { scenario: 'primes', model: 'threads', workers: '4', gil: 'off', start_method: 'spawn', params: { limits: [100] } });
  assert.throws(() => assertValid('config', { scenario: 'primes', colour: 'red' }), /does not match/);
  assert.throws(() => assertValid('config', { scenario: 'nope' }), /does not match/);
  assertValid('message', { type: 'playground:result', id: 1, record });
  assertValid('message', { type: 'playground:result', id: 'x', error: 'workers: must be a whole number from 1 to 32' });
  assertValid('message', { type: 'playground:programs', id: 2, programs: [{ title: 'Bytewax', filename: 'a.py', code: '' }] });
  assert.throws(() => assertValid('message', { type: 'playground:result', id: 1 }), /does not match/);
  assert.throws(() => assertValid('message', { type: 'playground:resize', height: 'tall' }), /does not match/);
  assert.throws(() => assertValid('message', { type: 'playground:nothing' }), /does not match/);
});
