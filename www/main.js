// Starts the page's wasm module. A file of its own (not an inline script), so
// the page runs under a content security policy without 'unsafe-inline'.
// The build stamps the hashed names in place of ./playground.js and
// ./playground_bg.wasm (.ci/stamp-build.mjs).
import init from './playground.js';

init({ module_or_path: new URL('./playground_bg.wasm', import.meta.url) });
