// ARCHITECTURE.md is true to the code where it names code: every file path
// it names exists, and every Rust path (`engine::scenarios::ScenarioId`,
// `base::port`, ...) leads to a module that defines or re-exports what it
// names. And the page and the runtime compare no id or message with text.
// Read from the sources, so it needs no build.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const CRATES = ['engine', 'runtime', 'ui', 'kernels', 'playground', 'compute'];
const doc = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
const spans = [...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);

/** `a::{b, c}::d` → `a::b::d`, `a::c::d`. */
function expand(path) {
  const m = path.match(/^(.*?)\{([^}]*)\}(.*)$/);
  if (!m) return [path];
  return m[2].split(',').flatMap((part) => expand(`${m[1]}${part.trim()}${m[3]}`));
}

const src = (crate) => join(root, 'crates', crate, 'src');
const moduleFile = (dir, name) => [join(dir, `${name}.rs`), join(dir, name, 'mod.rs')].find((f) => existsSync(f));
const word = (text, name) => new RegExp(`\\b${name}\\b`).test(text);

function allSources(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? allSources(p) : p.endsWith('.rs') ? [readFileSync(p, 'utf8')] : [];
  });
}
const crateText = Object.fromEntries(CRATES.map((c) => [c, allSources(src(c)).join('\n')]));

/** Why `path` does not lead anywhere, or null when it does. */
function unresolved(path) {
  let segments = path.split('::');
  let crate = CRATES.includes(segments[0]) ? segments.shift() : null;
  // A path relative to a crate (`base::port`, `scenarios::tests`): the crate
  // where its first segment is a module.
  crate ??= CRATES.find((c) => moduleFile(src(c), segments[0]));
  if (!crate) return `no crate has a module ${segments[0]}`;
  let dir = src(crate);
  let file = join(dir, 'lib.rs');
  while (segments.length) {
    const next = moduleFile(dir, segments[0]);
    if (!next) break;
    file = next;
    dir = join(next.endsWith('mod.rs') ? join(next, '..') : next.replace(/\.rs$/, ''));
    segments.shift();
  }
  if (!segments.length) return null;
  const [item, ...rest] = segments;
  if (!word(readFileSync(file, 'utf8'), item)) return `${file.slice(root.length)} has no ${item}`;
  const missing = rest.find((s) => !word(crateText[crate], s));
  return missing ? `nothing in ${crate} is called ${missing}` : null;
}

test('every file ARCHITECTURE.md names exists', () => {
  const files = spans
    .flatMap(expand)
    .map((s) => s.replace(/ .*$/, ''))
    .filter((s) => /^(crates|www|tests|\.ci|docs)\/[\w./-]+$/.test(s) || /^(engine|runtime|ui|kernels)\/src\/[\w./-]+$/.test(s))
    .map((s) => (s.startsWith('crates/') || !/^(engine|runtime|ui|kernels)\//.test(s) ? s : `crates/${s}`));
  assert.ok(files.length > 20, `it names files (${files.length} found)`);
  const gone = files.filter((f) => !existsSync(join(root, f.replace(/\/$/, ''))));
  assert.deepEqual(gone, [], 'named in ARCHITECTURE.md, not in the tree');
});

test('every Rust path ARCHITECTURE.md names leads to what it names', () => {
  const paths = spans
    .map((s) => s.replace(/\(.*$/, '').replace(/<.*$/, '').replace(/^[&*]/, ''))
    .filter((s) => /^[a-z_]+::[\w:{}, ]+$/.test(s))
    .flatMap(expand)
    .filter((s) => !/^(std|js_sys|web_sys|wasm_bindgen\w*|serde\w*|futures\w*|gloo\w*)::/.test(s));
  assert.ok(paths.length > 40, `it names Rust paths (${paths.length} found)`);
  const wrong = paths.map((p) => [p, unresolved(p)]).filter(([, why]) => why);
  assert.deepEqual(wrong, [], 'paths in ARCHITECTURE.md that lead nowhere');
});

test('the checker refuses a path that leads nowhere', () => {
  assert.ok(unresolved('engine::scenarios::NoSuchThing'));
  assert.ok(unresolved('runtime::pools::nowhere::x'));
  assert.equal(unresolved('engine::scenarios::ScenarioId::scenario'), null);
  assert.equal(unresolved('base::port'), null);
});

test('the page and the runtime compare no id or message with text', () => {
  const found = [];
  for (const crate of ['ui', 'runtime']) {
    const walk = (dir) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.rs')) {
          readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
            if (/starts_with\("|[=!]= "/.test(line)) found.push(`${p.slice(root.length)}:${i + 1}: ${line.trim()}`);
          });
        }
      }
    };
    walk(src(crate));
  }
  assert.deepEqual(found, []);
});
