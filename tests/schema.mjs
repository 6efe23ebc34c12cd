// The published JSON Schemas (dist/schema/) and a validator for what the
// tests receive: every run record and every embed message must match them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { dist } from './paths.mjs';

// ajv's defaults (strict, no formats of our own): what an integrator gets.
const ajv = new Ajv2020();
export const schemaFile = (name) => join(dist, 'schema', name);
const load = (name) => ajv.compile(JSON.parse(readFileSync(schemaFile(name), 'utf8')));
const validators = { config: load('config.json'), record: load('record.json'), message: load('messages.json') };

/** Throws, naming what is wrong, unless `value` matches schema `kind`. */
export function assertValid(kind, value, where = kind) {
  const validate = validators[kind];
  if (!validate(value)) {
    const errors = validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
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
