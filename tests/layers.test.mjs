// The project's Rust modules form no import circle, and the runtime's layers
// import only downward (entry -> runners -> pools -> base; ARCHITECTURE.md).
// Read from the sources, so it needs no build.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findCircle, importGraph } from './layers.mjs';

const crates = fileURLToPath(new URL('../crates/', import.meta.url));
const CRATES = ['kernels', 'engine', 'runtime', 'ui', 'playground'];
const RUNTIME_LAYERS = ['base', 'pools', 'runners', 'entry'];

for (const name of CRATES) {
  test(`${name}: no import circle between its modules`, () => {
    for (const depth of [1, 2]) {
      const circle = findCircle(importGraph(`${crates}${name}/src`, depth));
      assert.equal(circle, null, `a circle: ${circle?.join(' -> ')}`);
    }
  });
}

test('runtime: every layer imports only the layers below it', () => {
  const graph = importGraph(`${crates}runtime/src`, 1);
  assert.deepEqual([...graph.keys()].sort(), [...RUNTIME_LAYERS].sort(), 'the runtime is these four layers');
  for (const [layer, uses] of graph) {
    for (const used of uses) {
      assert.ok(RUNTIME_LAYERS.indexOf(used) < RUNTIME_LAYERS.indexOf(layer), `${layer} imports ${used}, which is not below it`);
    }
  }
});

test('the checker sees an import and a circle when there is one', () => {
  const graph = importGraph(`${crates}runtime/src`, 2);
  assert.ok(graph.get('entry::compute').has('runners'), 'entry::compute uses the runners');
  assert.deepEqual(findCircle(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]])), ['a', 'b', 'a']);
});
