// An isolated worker, the analogue of a Python process: it instantiates the
// compiled module it is sent with a fresh memory of its own (and starts
// `threads` threads on it, if asked), then passes every message to the
// runtime. A task that panics aborts this instance: the panic hook has
// already said which task and why; the catch below only makes sure the pool
// hears of it in order, as a plain fact ({died}), never as a stray error event.
import { initSync, process_worker_main, process_worker_handle } from './compute.js';

self.onmessage = ({ data }) => {
  initSync({ module: data.module });
  self.onmessage = ({ data }) => {
    try {
      process_worker_handle(data);
    } catch (e) {
      postMessage({ died: String(e) });
    }
  };
  process_worker_main(data.threads ?? 0);
};
