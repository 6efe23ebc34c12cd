// The compute worker: a wasm instance of its own, so the page never computes.
// It starts its threads (Web Workers sharing this instance's memory) and
// then answers run requests from the page. The build stamps the hashed names
// of the module and the wasm (.ci/stamp-build.mjs).
import init, { compute_worker_main } from './playground.js';

await init({ module_or_path: new URL('./playground_bg.wasm', import.meta.url) });
await compute_worker_main();
