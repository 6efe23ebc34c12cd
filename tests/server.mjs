// A static file server for dist/ on 127.0.0.1, with or without the
// cross-origin isolation headers, from the site root or from a subfolder.
// Used by the browser tests and the benchmark; it listens on loopback only
// and closes when asked.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CSP, ISOLATION, cacheControl } from '../.ci/site-headers.mjs';
import { Link } from './link.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
};

/**
 * Keeps what went uncaught in a page (`window.__problems`), before any of
 * the page's own scripts run.
 */
export const WATCH_SCRIPT = `window.__problems = [];
addEventListener('error', (e) => __problems.push('error: ' + (e.message || e.type)));
addEventListener('unhandledrejection', (e) => __problems.push('unhandledrejection: ' + ((e.reason && e.reason.message) || e.reason)));
`;

/**
 * Serve `root`; resolves to {url, close}. Port 0 picks a free port.
 * - `isolated`: send the isolation headers a host should send (site-headers.mjs);
 * - `csp`: also send the strict Content-Security-Policy as a header;
 * - `prefix`: the folder the site lives in, e.g. '/deep/pg/' (all else is 404);
 * - `host`: the host name in the returned url ('127.0.0.1' or 'localhost',
 *   two origins on one machine);
 * - `watch`: put WATCH_SCRIPT first into every page, for engines whose
 *   driver reports no console (tests/engines);
 * - `link`: a slow connection, `{ rttMs, kbps }`: every response waits a
 *   round trip and then shares one bandwidth budget with all others, sent
 *   gzip-compressed where the client accepts it (the build's `.gz` side
 *   file where there is one), with the build's own
 *   Cache-Control per file and `If-Modified-Since` answered by 304, as a
 *   real host on a phone's connection would;
 * - `cache: 'build'`: the build's own Cache-Control, gzip and 304s as
 *   with `link`, at full speed;
 * - `log`: an array that gets `{ path, status, bytes, askedAt, doneAt,
 *   others }` for every response (bytes as sent, after compression; others:
 *   the bytes each response still being sent had sent when it was asked for).
 */
export function serve(root, { isolated = true, csp = false, prefix = '/', port = 0, host = '127.0.0.1', watch = false, link = null, cache = null, log = null } = {}) {
  const slow = link ? new Link(link) : null;
  const likeAHost = slow !== null || cache === 'build';
  const zipped = new Map(); // file → its gzip body, made once
  const sending = new Map(); // response → { path, bytes sent so far }, for `log`
  const server = createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (log) {
      const sent = { bytes: 0 };
      const askedAt = performance.now();
      // What the responses still being sent had sent when this was asked for.
      const others = Object.fromEntries([...sending.values()].map((s) => [s.path, s.bytes]));
      const count = (chunk) => { if (chunk && typeof chunk !== 'function') sent.bytes += Buffer.byteLength(chunk); };
      const [write, end] = [res.write.bind(res), res.end.bind(res)];
      res.write = (chunk, ...rest) => { count(chunk); return write(chunk, ...rest); };
      res.end = (chunk, ...rest) => { count(chunk); return end(chunk, ...rest); };
      sending.set(res, Object.assign(sent, { path: pathname }));
      res.on('close', () => sending.delete(res));
      res.on('finish', () => {
        sending.delete(res);
        log.push({ path: pathname, status: res.statusCode, bytes: sent.bytes, askedAt, doneAt: performance.now(), others });
      });
    }
    if (slow) await slow.roundTrip();
    if (watch && pathname.endsWith('/__watch.js')) {
      res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-cache', ...(isolated ? ISOLATION : {}) });
      res.end(WATCH_SCRIPT);
      return;
    }
    if (`${pathname}/` === prefix) { res.writeHead(301, { Location: prefix }).end(); return; }
    if (!pathname.startsWith(prefix)) { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found'); return; }
    const path = pathname.slice(prefix.length - 1);
    const file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(normalize(root))) { res.writeHead(403).end(); return; }
    try {
      let body = await readFile(file);
      if (watch && extname(file) === '.html') {
        body = body.toString().replace('<head>', '<head><script src="__watch.js"></script>');
      }
      const headers = {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        // Revalidated on every load, so a rebuilt dist/ is always what is tested.
        'Cache-Control': 'no-cache',
        ...(isolated ? ISOLATION : {}),
        ...(csp ? { 'Content-Security-Policy': CSP } : {}),
      };
      if (likeAHost) {
        const modified = (await stat(file)).mtime;
        modified.setMilliseconds(0);
        headers['Cache-Control'] = cacheControl(file.slice(normalize(root).length + 1));
        headers['Last-Modified'] = modified.toUTCString();
        const since = Date.parse(req.headers['if-modified-since'] ?? '');
        if (since >= modified.getTime()) { res.writeHead(304, headers).end(); return; }
        if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
          // The build's own side file where there is one, as a host serving
          // precompressed files does (nginx's gzip_static); else made here.
          if (!zipped.has(file)) zipped.set(file, await (watch ? Promise.reject() : readFile(`${file}.gz`)).catch(() => gzipSync(body)));
          body = zipped.get(file);
          headers['Content-Encoding'] = 'gzip';
          headers.Vary = 'Accept-Encoding';
        }
        headers['Content-Length'] = String(body.length);
        res.writeHead(200, headers);
        if (slow) await slow.send(res, body);
        else res.end(body);
        return;
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address();
      // Closing drops kept-alive connections too: the browser may hold some open.
      resolve({ url: `http://${host}:${port}${prefix}`, close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) });
    });
  });
}

// `node server.mjs DIR [PORT] [--plain] [--csp] [--prefix=/a/b/]`: serve by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [root = '../dist', port = '8080'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const isolated = !process.argv.includes('--plain');
  const csp = process.argv.includes('--csp');
  const prefix = process.argv.find((a) => a.startsWith('--prefix='))?.slice('--prefix='.length) ?? '/';
  serve(root, { isolated, csp, prefix, port: Number(port) })
    .then(({ url }) => console.log(`serving ${root} at ${url} (isolated: ${isolated}, csp: ${csp})`));
}
