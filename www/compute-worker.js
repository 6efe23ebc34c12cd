// The compute worker: a wasm instance of its own, so the page never computes.
// It starts the thread pool (Web Workers sharing this instance's memory) and
// then answers run requests from the page.
import init, { compute_worker_main } from './playground.js';

// Threads available to the thread model; runs use any number up to this.
const POOL_THREADS = 32;

await init();
await compute_worker_main(POOL_THREADS);
