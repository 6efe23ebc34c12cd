// A thread: a Web Worker that instantiates the module it is sent on the
// memory it is sent (the compute worker's), so it shares that memory. It then
// runs jobs from its mailbox until the pool is dropped (thread_worker_main).
// It posts only plain facts ({loaded}, {died}); the runtime frames the rest.
import { initSync, thread_worker_main } from './compute.js';

self.onmessage = ({ data }) => {
  const wasm = initSync({ module: data.module, memory: data.memory });
  postMessage({ loaded: performance.timeOrigin + performance.now() });
  try {
    thread_worker_main(data.mailbox);
    wasm.__wbindgen_thread_destroy?.();
  } catch (e) {
    // A task panicked (the panic hook has already said which and why).
    postMessage({ died: String(e) });
  }
  close();
};
