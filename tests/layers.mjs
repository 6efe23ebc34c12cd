// The import graph of the project's Rust crates, read from their sources:
// which module of a crate refers to which (`crate::a::b`, `use crate::{a, b}`),
// with a file's submodules counted as part of the module they belong to.
// `layers.test.mjs` checks it has no circle, and that the runtime's layers
// import only downward.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

function rustFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return rustFiles(path);
    return name.endsWith('.rs') && name !== 'tests.rs' ? [path] : [];
  });
}

/** The module path of a source file: `a/b.rs` and `a/b/mod.rs` are `a::b`. */
function modulePath(src, file) {
  const parts = relative(src, file).replace(/\.rs$/, '').split(sep);
  if (['mod', 'lib'].includes(parts.at(-1))) parts.pop();
  return parts;
}

/**
 * Drop comments, string literals and test modules (`#[cfg(test)]` to the
 * end of the file, where this project keeps them): test code may build its
 * inputs with any module, and is not part of what depends on what.
 */
function code(text) {
  const tests = text.indexOf('#[cfg(test)]');
  return (tests < 0 ? text : text.slice(0, tests))
    .replace(/\/\/.*$/gm, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

/** Every `crate::...` path in `text`, with `use crate::{a, b::c}` expanded. */
function cratePaths(text) {
  const paths = [];
  for (const m of text.matchAll(/\bcrate::\{([^;]*?)\}\s*;/g)) {
    for (const item of m[1].split(',')) {
      const path = item.trim().split(/\s|::\{|\{/)[0];
      if (path) paths.push(path.split('::'));
    }
  }
  for (const m of text.matchAll(/\bcrate::((?:[A-Za-z_][A-Za-z0-9_]*::)*[A-Za-z_][A-Za-z0-9_]*)/g)) {
    paths.push(m[1].split('::'));
  }
  return paths;
}

/**
 * The crate's graph at the depth `depth` (1: `crate::a`; 2: `crate::a::b`),
 * as a Map from module to the set of modules it refers to.
 */
export function importGraph(src, depth = 1) {
  const files = rustFiles(src);
  const known = new Set(files.map((f) => modulePath(src, f).join('::')));
  const nodeOf = (parts) => {
    // The deepest module the path names, cut to `depth` segments.
    for (let n = Math.min(parts.length, depth); n > 0; n--) {
      const name = parts.slice(0, n).join('::');
      if (known.has(name)) return name;
    }
    return null;
  };
  const graph = new Map();
  for (const file of files) {
    const here = nodeOf(modulePath(src, file));
    if (!here) continue; // lib.rs: the crate root re-exports, it is no layer
    if (!graph.has(here)) graph.set(here, new Set());
    for (const path of cratePaths(code(readFileSync(file, 'utf8')))) {
      const there = nodeOf(path);
      if (there && there !== here) graph.get(here).add(there);
    }
  }
  return graph;
}

/** One circle in the graph as a list of modules, or null. */
export function findCircle(graph) {
  const state = new Map(); // module -> 'open' | 'done'
  const stack = [];
  const visit = (m) => {
    state.set(m, 'open');
    stack.push(m);
    for (const next of graph.get(m) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(m, 'done');
    return null;
  };
  for (const m of graph.keys()) {
    if (!state.has(m)) {
      const found = visit(m);
      if (found) return found;
    }
  }
  return null;
}
