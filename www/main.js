// Starts the page's wasm module. A file of its own (not an inline script), so
// the page runs under a content security policy without 'unsafe-inline'.
// The build stamps the hashed names in place of ./playground.js and
// ./playground_bg.wasm, the wasm's size, and the compute side's files
// (.ci/stamp-build.mjs).
const wasm = new URL('./playground_bg.wasm', import.meta.url);
const WASM_BYTES = 0;
const COMPUTE_FILES = [];
// The page's memory: the module's initial pages (stamped) and at most 512 MiB
// (the module allows 2 GiB, which the compute worker's threads may need).
// Shared memory reserves its most up front, and WebKit fits only about 22
// reservations of 2 GiB in one process, ended pages' included until it
// collects them: the page, which never computes, takes a quarter of that.
const INITIAL_PAGES = 0;
const MOST_PAGES = 8192;
// Imported beside the compile, not before it: one round trip fewer before
// the wasm's bytes start to arrive.
const glue = import('./playground.js');

/** The shell's progress line (index.html), until the app draws its own. */
const say = (text) => {
  const line = document.querySelector('#shell #env');
  if (line) line.textContent = text;
};
const kb = (bytes) => Math.round(bytes / 1024);

/**
 * Resolves once the page's module is one round trip from fully arrived, at
 * the speed its bytes have come so far: the compute side is asked for then,
 * so its first bytes follow the page's last ones on the line instead of a
 * round trip of nothing after them, and the two modules barely share it.
 * `arriving(loaded, total)` is told the progress; `nearlyIn.done()` settles
 * it anyway (the module is in, or failed).
 */
const nearlyIn = (() => {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  const nav = performance.getEntriesByType?.('navigation')?.[0];
  const roundTrip = nav && nav.responseStart > nav.requestStart ? nav.responseStart - nav.requestStart : 0;
  let first = null;
  return {
    promise,
    done: () => resolve(),
    arriving(loaded, total) {
      const now = performance.now();
      if (first === null) {
        first = { now, loaded };
        return;
      }
      const rate = (loaded - first.loaded) / (now - first.now); // bytes per ms
      if (rate > 0 && (total - loaded) / rate <= roundTrip) resolve();
    },
  };
})();

/** Whether this browser can hand a stream to a worker (not every engine can). */
const streamsTransfer = (() => {
  try {
    const stream = new ReadableStream();
    const channel = new MessageChannel();
    channel.port1.postMessage(stream, [stream]);
    channel.port1.close();
    return true;
  } catch {
    return false;
  }
})();

/**
 * The module compiled by `compile-worker.js`, or its URL where that fails.
 * This script asks for the wasm itself, at once, and hands its bytes to the
 * compile worker as they arrive: the stream itself where the engine can hand
 * one on, else each chunk as it comes; a round trip sooner than the worker
 * could ask, once its own script is in. (Not a preload in the HTML: WebKit
 * does not hand a preload to `fetch` and would download the module twice.)
 */
const compiled = () => new Promise((resolve) => {
  const asked = fetch(wasm).then((r) => (r.ok && r.body ? r : null), () => null);
  let worker;
  try {
    worker = new Worker(new URL('./compile-worker.js', import.meta.url));
  } catch {
    resolve(asked.then((response) => response ?? wasm));
    return;
  }
  const done = (result) => {
    worker.terminate();
    // Who compiled it, for the tests: the page's thread must not have to.
    performance.mark('page-module-compiled', { detail: result instanceof WebAssembly.Module ? 'compile worker' : 'page' });
    resolve(result);
  };
  worker.onmessage = ({ data }) => {
    if (data && data.loading) {
      const { loaded, total } = data.loading;
      say(`Loading the page's code: ${kb(Math.min(loaded, total))} of ${kb(total)} KB…`);
      nearlyIn.arriving(loaded, total);
      return;
    }
    done(data instanceof WebAssembly.Module ? data : wasm);
  };
  worker.onerror = () => done(wasm);
  asked.then((response) => {
    const body = response?.body;
    if (!body || streamsTransfer) {
      worker.postMessage({ url: wasm.href, total: WASM_BYTES, body }, body ? [body] : []);
      return;
    }
    worker.postMessage({ url: wasm.href, total: WASM_BYTES, chunked: true });
    const reader = body.getReader();
    const next = () => reader.read().then(({ done, value }) => {
      worker.postMessage(done ? { end: true } : { chunk: value });
      if (!done) next();
    }, (e) => worker.postMessage({ failed: String((e && e.message) || e) }));
    next();
  });
});

/**
 * The compute worker, started by this script rather than the page's module,
 * so that its module compiles while the page's starts: once workers may
 * start (boot.js), at once on a visit whose files the service worker keeps,
 * and on a first visit once the page's module is nearly in (`nearlyIn`: so
 * the two do not share the line). Until the page's code takes it over
 * (`ui::client`), what it says is kept, in order: `window.playgroundCompute`
 * resolves to `{worker, said}`, or to null where it could not start (the
 * page then starts one itself).
 */
const startCompute = () => {
  const worker = new Worker(new URL('./compute-worker.js', import.meta.url), { type: 'module' });
  performance.mark('compute-worker-started');
  const said = [];
  worker.onmessage = worker.onerror = (event) => said.push(event);
  return { worker, said };
};

/**
 * The compute side's files (its module, the threads' and isolated workers'
 * bootstraps, the thread pool's helper), asked for with the compute
 * worker's start: the compute worker, which would ask for its module
 * only after its own script and that script's import, and its workers find
 * them on their way (through the service worker, which fetches each once).
 */
const prefetchCompute = () => {
  if (!navigator.serviceWorker?.controller) return; // without it the HTTP cache serves them anyway
  for (const file of COMPUTE_FILES) fetch(new URL(file, import.meta.url)).then((r) => r.body?.cancel(), () => {});
};

const pageModule = compiled();
pageModule.finally(nearlyIn.done);
const keptFiles = Boolean(navigator.serviceWorker?.controller);
window.playgroundCompute = (window.playgroundBoot ?? Promise.resolve())
  .then(() => (keptFiles ? undefined : nearlyIn.promise))
  .then(() => {
    prefetchCompute();
    return startCompute();
  })
  .catch(() => null);

pageModule.then(async (module_or_path) => {
  say('Starting the page…');
  const { default: init } = await glue;
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MOST_PAGES, shared: true });
  return init({ module_or_path, memory });
}).catch((e) => {
  // The module could not even start here: say so in one sentence (the first
  // line of what the browser said, never a stack), and leave nothing uncaught.
  const first = String((e && e.message) || e).split('\n')[0].slice(0, 300);
  const app = document.getElementById('app');
  if (app) {
    const p = document.createElement('p');
    p.className = 'env broken';
    p.id = 'env';
    p.dataset.state = 'broken';
    p.setAttribute('role', 'alert');
    p.textContent = `Cannot run here: the playground's module did not start (${first}).`;
    app.replaceChildren(p);
  }
});

// Offline use: once the playground is ready (every file of the page and its
// workers fetched), the service worker keeps this build's files, taking
// them from the browser's HTTP cache where it can, so a first visit fetches
// nothing twice. `window.playgroundOffline` resolves to what it reports,
// `{version, files, fetched}`, or `{error}`; a new deployment's service
// worker taking over does it again.
const ready = new Promise((resolve) => {
  const seen = () => performance.getEntriesByName('playground-ready').length > 0;
  if (seen()) return resolve();
  try {
    const observer = new PerformanceObserver(() => { if (seen()) { observer.disconnect(); resolve(); } });
    observer.observe({ type: 'mark', buffered: true });
  } catch {
    const poll = setInterval(() => { if (seen()) { clearInterval(poll); resolve(); } }, 250);
  }
});
const precache = () => new Promise((resolve) => {
  const worker = navigator.serviceWorker?.controller;
  if (!worker) return resolve({ error: 'no service worker controls this page' });
  const reply = new MessageChannel();
  reply.port1.onmessage = ({ data }) => resolve(data);
  worker.postMessage({ type: 'precache' }, [reply.port2]);
});
// Keeping the files takes the machine a while (reading and hashing each):
// it waits for a quiet second, no run going on and none ended, so the
// reader's first run (often pressed at once) has the cores to itself. The
// page's client marks each run sent and ended (`ui::client`).
const QUIET_MS = 1000;
const count = (name) => performance.getEntriesByName(name).length;
const quiet = () => new Promise((resolve) => {
  let idleAt = -1;
  const check = () => {
    const ended = count('playground-run-ended');
    const idle = count('playground-run-sent') === ended;
    if (idle && ended === idleAt) return resolve();
    idleAt = idle ? ended : -1;
    setTimeout(check, QUIET_MS);
  };
  check();
});
window.playgroundOffline = ready.then(quiet).then(precache);
navigator.serviceWorker?.addEventListener('controllerchange', () => {
  window.playgroundOffline = ready.then(quiet).then(precache);
});
