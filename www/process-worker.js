// An isolated worker, the analogue of a Python process: it instantiates the
// compiled module it is sent with a fresh memory of its own (and starts
// `threads` threads on it, if asked), then passes every message to the
// runtime. A task that panics aborts this instance: the panic hook has
// already said which task and why; the catch below only makes sure the pool
// hears of it in order, as a plain fact ({died}), never as a stray error event.
import { initSync, process_worker_main, process_worker_handle } from './compute.js';

// Its memory: the module's initial pages (stamped by the build) and at most
// 1 GiB, half what the module allows (the compute worker's threads may need
// that). Shared memory reserves its most up front, and WebKit fits only about
// 22 reservations of 2 GiB in one process: a pool of 32 isolated workers, or
// a few reloads of a page with a pool, would not start.
const INITIAL_PAGES = 0;
const MOST_PAGES = 16384;

self.onmessage = ({ data }) => {
  initSync({ module: data.module, memory: new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MOST_PAGES, shared: true }) });
  self.onmessage = ({ data }) => {
    try {
      process_worker_handle(data);
    } catch (e) {
      postMessage({ died: String(e) });
    }
  };
  process_worker_main(data.threads ?? 0);
};
