// The published schemas (dist/schema/) refuse what the page would never
// write, so the browser tests' checks against them can fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { fileURLToPath } from 'node:url';
import { assertValid, schemaFile } from './schema.mjs';

test('each published schema compiles in ajv with no options (strict, no formats added)', () => {
  for (const name of ['config.json', 'record.json', 'messages.json']) {
    new Ajv2020().compile(JSON.parse(readFileSync(schemaFile(name), 'utf8')));
  }
});

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
    { ...record, workers: -1 },
    { ...record, result: { items: [{ ...record.result.items[0], count: -4 }] } },
    { ...record, result: { items: [{ ...record.result.items[0], count: 4.5 }] } },
  ];
  for (const r of wrong) assert.throws(() => assertValid('record', r), /does not match/, JSON.stringify(r).slice(0, 120));
});

test('configs and embed messages: what validation takes, and nothing else', () => {
  assertValid('config', { scenario: 'primes', model: 'threads', workers: '4', gil: 'off', start_method: 'spawn', params: { limits: [100] } });
  assert.throws(() => assertValid('config', { scenario: 'primes', colour: 'red' }), /does not match/);
  assert.throws(() => assertValid('config', { scenario: 'nope' }), /does not match/);
  assertValid('message', { type: 'playground:result', id: 1, record });
  assertValid('message', { type: 'playground:result', id: 'x', error: 'workers: must be a whole number from 1 to 32' });
  assertValid('message', { type: 'playground:programs', id: 2, programs: [{ title: 'Bytewax', kind: 'bytewax', filename: 'a.py', code: '' }] });
  assert.throws(() => assertValid('message', { type: 'playground:result', id: 1 }), /does not match/);
  assert.throws(() => assertValid('message', { type: 'playground:resize', height: 'tall' }), /does not match/);
  assert.throws(() => assertValid('message', { type: 'playground:nothing' }), /does not match/);
});

// Python's jsonschema, format checking on, reads the same files the same way.
const python = fileURLToPath(new URL('../.venv/bin/python', import.meta.url));
const hasJsonschema = existsSync(python)
  && (() => { try { execFileSync(python, ['-c', 'import jsonschema']); return true; } catch { return false; } })();

test('Python\'s jsonschema takes a good record and refuses a negative or fractional count', (t) => {
  if (!hasJsonschema) {
    if (process.env.CI) assert.fail('jsonschema is missing from .venv: run bash .ci/install.sh');
    return t.skip('jsonschema is not installed in .venv (bash .ci/install.sh installs it)');
  }
  const item = record.result.items[0];
  const documents = [
    record,
    { ...record, result: { items: [{ ...item, count: -4 }] } },
    { ...record, result: { items: [{ ...item, count: 4.5 }] } },
    { ...record, workers: -1 },
  ];
  const script = fileURLToPath(new URL('./schema_check.py', import.meta.url));
  const lines = execFileSync(python, [script, schemaFile('record.json')], { input: JSON.stringify(documents), encoding: 'utf8' })
    .trim().split('\n');
  assert.equal(lines.length, documents.length, lines.join('\n'));
  assert.equal(lines[0], 'ok');
  for (const line of lines.slice(1)) assert.match(line, /^invalid: /);
  // Config and messages compile in it too (check_schema runs first).
  for (const name of ['config.json', 'messages.json']) {
    assert.equal(execFileSync(python, [script, schemaFile(name)], { input: '[]', encoding: 'utf8' }), '');
  }
});
