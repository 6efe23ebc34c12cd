// The compute worker: a wasm instance of its own, so the page never computes.
// It loads the compute module (the page has its own), starts its threads
// (Web Workers sharing this instance's memory) and then answers run requests
// from the page. While the module arrives it tells the page how far it has
// got (`{loading: {loaded, total}}`). The build stamps the hashed names of
// the module and the wasm, and the wasm's size (.ci/stamp-build.mjs).
//
// It is started two ways. main.js starts it before the page's own module
// runs, so the two modules compile side by side: then it starts its workers
// once the page says how many it will ask for (`{workers}`). A restart by
// the page says so in its URL (`?workers=N`).
const wasm = new URL('./compute_bg.wasm', import.meta.url);
const WASM_BYTES = 0;
// The wasm is asked for at once, beside the glue (imported, not a static
// import, which would hold this script back until the glue is in).
const asking = fetch(wasm);
const glue = import('./compute.js');

/** `stream` passed through, its bytes told to the page as they arrive. */
const told = (stream) => {
  let loaded = 0;
  let said = 0;
  return stream.pipeThrough(new TransformStream({
    transform(chunk, out) {
      loaded += chunk.byteLength;
      if (loaded - said >= 32768 || loaded >= WASM_BYTES) {
        said = loaded;
        postMessage({ loading: { loaded, total: WASM_BYTES } });
      }
      out.enqueue(chunk);
    },
  }));
};

/**
 * The module, compiled as its bytes arrive, its progress told to the page.
 * The response itself is compiled where the host names its type: the
 * browser then keeps the optimised code for the next visit (a response made
 * here would have no URL to keep it under), and a copy is read for the
 * progress. Else a response of the right type is made from its bytes.
 */
async function compiled() {
  const response = await asking;
  if (!response.ok || !response.body) return wasm; // init fetches it and says what is wrong
  if ((response.headers.get('Content-Type') ?? '').split(';')[0].trim() === 'application/wasm') {
    told(response.clone().body).pipeTo(new WritableStream()).catch(() => {});
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compileStreaming(new Response(told(response.body), { headers: { 'Content-Type': 'application/wasm' } }));
}

/** How many workers the page will ask for first: in the URL, or told. */
const workers = () => {
  const inUrl = new URLSearchParams(location.search).get('workers');
  if (inUrl !== null) return Promise.resolve(Number(inUrl));
  return new Promise((resolve) => {
    self.onmessage = ({ data }) => {
      if (data && 'workers' in data) resolve(Number(data.workers));
    };
  });
};
const asked = workers();

const { default: init, compute_worker_main } = await glue;
await init({ module_or_path: await compiled() });
await compute_worker_main(await asked);
