// A static file server for dist/ on 127.0.0.1, with or without the
// cross-origin isolation headers. Used by the browser tests and the
// benchmark; it listens on loopback only and closes when asked.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
};

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Serve `root`; resolves to {url, close}. Port 0 picks a free port. */
export function serve(root, { isolated = true, port = 0 } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(normalize(root))) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        // Revalidated on every load, so a rebuilt dist/ is always what is tested.
        'Cache-Control': 'no-cache',
        ...(isolated ? ISOLATION_HEADERS : {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

// `node server.mjs DIR [PORT] [--plain]`: serve by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [root = '../dist', port = '8080'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const isolated = !process.argv.includes('--plain');
  serve(root, { isolated, port: Number(port) }).then(({ url }) => console.log(`serving ${root} at ${url} (isolated: ${isolated})`));
}
