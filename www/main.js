// Starts the page's wasm module. A file of its own (not an inline script), so
// the page runs under a content security policy without 'unsafe-inline'.
// The build stamps the hashed names in place of ./playground.js and
// ./playground_bg.wasm (.ci/stamp-build.mjs).
import init from './playground.js';

init({ module_or_path: new URL('./playground_bg.wasm', import.meta.url) }).catch((e) => {
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
