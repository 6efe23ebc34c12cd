// The published JSON Schemas (dist/schema/) and a validator for what the
// tests receive: every run record and every embed message must match them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { dist } from './paths.mjs';

const ajv = new Ajv2020({ allErrors: true, strict: false });
// The number formats the schemas name (from the Rust types), checked.
const whole = (lo, hi) => ({ type: 'number', validate: (x) => Number.isInteger(x) && x >= lo && x <= hi });
ajv.addFormat('uint32', whole(0, 2 ** 32 - 1));
ajv.addFormat('uint64', whole(0, Number.MAX_SAFE_INTEGER));
ajv.addFormat('int64', whole(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
ajv.addFormat('double', { type: 'number', validate: Number.isFinite });
const load = (name) => ajv.compile(JSON.parse(readFileSync(join(dist, 'schema', name), 'utf8')));
const validators = { config: load('config.json'), record: load('record.json'), message: load('messages.json') };

/** Throws, naming what is wrong, unless `value` matches schema `kind`. */
export function assertValid(kind, value, where = kind) {
  const validate = validators[kind];
  if (!validate(value)) {
    const errors = validate.errors.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new Error(`${where} does not match dist/schema/${kind === 'message' ? 'messages' : kind}.json: ${errors}`);
  }
}

const looksLikeRecord = (v) => v && typeof v === 'object' && !Array.isArray(v)
  && 'scenario' in v && 'wall_ms' in v && 'tasks' in v && 'result' in v;

/** Every run record in `value` (itself, or the items of a list). */
export function assertRecords(value, where = 'a run record') {
  for (const v of Array.isArray(value) ? value : [value]) {
    if (looksLikeRecord(v)) assertValid('record', v, where);
  }
  return value;
}
