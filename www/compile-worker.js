// Compiles a wasm module off the page's thread: decoding and validating
// megabytes of WebAssembly there is a long task (80+ ms on a slow machine)
// that would freeze the page while it starts. While the bytes arrive it
// posts `{loading: {loaded, total}}` (total: the module's size, given by
// the page); then the compiled module, or a sentence where anything fails
// (the page then compiles it itself). The page hands it the bytes as they
// arrive where it asked for them itself: the stream (`body`), or, where
// the engine cannot hand a stream on, `chunked` and then one message per
// chunk (`{chunk}`, then `{end}` or `{failed}`); else it asks for them.
let feed = null;
onmessage = ({ data }) => {
  if ('chunk' in data) feed?.enqueue(data.chunk);
  else if (data.end) feed?.close();
  else if (data.failed) feed?.error(new Error(data.failed));
  else compile(data);
};

async function compile({ url, total, body, chunked }) {
  try {
    // The stream is made (and `feed` set) before any chunk's message is read.
    const source = chunked ? new ReadableStream({ start: (controller) => { feed = controller; } }) : body;
    const response = source ? new Response(source) : await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    let loaded = 0;
    let said = 0;
    const counted = response.body.pipeThrough(new TransformStream({
      transform(chunk, out) {
        loaded += chunk.byteLength;
        // About every 16 KB: enough to see it move, and for the page to
        // tell when it is nearly in (main.js), few enough messages.
        if (loaded - said >= 16384 || loaded >= total) {
          said = loaded;
          postMessage({ loading: { loaded, total } });
        }
        out.enqueue(chunk);
      },
    }));
    const wasm = new Response(counted, { headers: { 'Content-Type': 'application/wasm' } });
    postMessage(await WebAssembly.compileStreaming(wasm));
  } catch (e) {
    postMessage(String((e && e.message) || e));
  }
}
