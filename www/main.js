// Starts the page's wasm module. A file of its own (not an inline script), so
// the page runs under a content security policy without 'unsafe-inline'.
// The build stamps the hashed names in place of ./playground.js and
// ./playground_bg.wasm (.ci/stamp-build.mjs).
import init from './playground.js';

const wasm = new URL('./playground_bg.wasm', import.meta.url);

/** The module compiled by `compile-worker.js`, or its URL where that fails. */
const compiled = () => new Promise((resolve) => {
  let worker;
  try {
    worker = new Worker(new URL('./compile-worker.js', import.meta.url));
  } catch {
    resolve(wasm);
    return;
  }
  const done = (result) => { worker.terminate(); resolve(result); };
  worker.onmessage = ({ data }) => done(data instanceof WebAssembly.Module ? data : wasm);
  worker.onerror = () => done(wasm);
  worker.postMessage(wasm.href);
});

compiled().then((module_or_path) => init({ module_or_path })).catch((e) => {
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
