// An isolated worker, the analogue of a Python process: it instantiates the
// compiled module it is sent with a fresh memory of its own, then takes tasks
// as messages (see process_worker_main).
import { initSync, process_worker_main } from './playground.js';

self.onmessage = ({ data }) => {
  initSync({ module: data.module });
  process_worker_main();
};
