// Compiles the page's wasm off the page's thread: decoding and validating
// 1.6 MB of WebAssembly there is a long task (80+ ms on a slow machine) that
// would freeze the page while it starts. The compiled module goes back to
// the page, which only instantiates it; anything that fails here sends a
// sentence instead, and the page then compiles it itself.
onmessage = async ({ data: url }) => {
  try {
    postMessage(await WebAssembly.compileStreaming(fetch(url)));
  } catch (e) {
    postMessage(String((e && e.message) || e));
  }
};
