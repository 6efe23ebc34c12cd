// The compute worker: a wasm instance of its own, so the page never computes.
// It starts its threads (Web Workers sharing this instance's memory) and
// then answers run requests from the page.
import init, { compute_worker_main } from './playground.js';

await init();
await compute_worker_main();
