// A tutorial page of another origin (http://localhost:<port>/, while the
// playground is served on 127.0.0.1) that embeds the playground and keeps
// every message it receives: for the embedding tests in every engine.
import { createServer } from 'node:http';

/** A tutorial page on http://localhost:<port>/, with or without COOP/COEP. */
export function serveHost(body, { isolated }) {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A tutorial</title></head>
<body><h1>A tutorial about threads</h1>${body}
<script>
  window.__messages = [];
  window.addEventListener('message', (e) => window.__messages.push({ origin: e.origin, data: e.data }));
  window.__send = (msg) => document.querySelector('iframe').contentWindow.postMessage(msg, '*');
</script></body></html>`;
  const server = createServer((req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      ...(isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
    });
    res.end(page);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://localhost:${server.address().port}/`,
    close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }),
  })));
}
