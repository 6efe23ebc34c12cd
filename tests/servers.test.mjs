// The README's nginx, Apache and Caddy configurations, taken from README.md
// as written and run in Debian's own servers on 127.0.0.1 under /pg/ (see
// webservers.mjs): accepted, every file with its headers, the wasm, the
// JavaScript and the CSS compressed, and the page isolated in Chromium with
// threads and downloads running. And dist/_headers, read by the rules
// Netlify and Cloudflare Pages document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { dist } from './paths.mjs';
import { launch, openPlayground } from './browser.mjs';
import { CSP, ISOLATION, SITE_HEADERS, cacheControl } from '../.ci/site-headers.mjs';
import { scratchSite, startApache, startCaddy, startNginx, version, walk } from './webservers.mjs';

/** What Chromium asks for. */
const ACCEPT = 'gzip, deflate, br, zstd';
/** Files every server must compress: below 1 KiB a server may rightly send them as they are. */
const COMPRESSIBLE = /\.(wasm|js|css|json)$/;
const MIN_COMPRESSED = 1024;

const SERVERS = [
  // Debian's nginx has no brotli module: gzip.
  { name: 'nginx', cmd: 'nginx', start: startNginx, best: 'gzip', accepted: /test is successful/ },
  { name: 'Apache', cmd: 'apache2', start: startApache, best: 'br', accepted: /Syntax OK/ },
  // Caddy 2.6 encodes zstd and gzip, not brotli.
  { name: 'Caddy', cmd: 'caddy', start: startCaddy, best: 'zstd', accepted: /Valid configuration/ },
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** GET over a connection of its own (nothing kept alive past the server). */
function get(url, acceptEncoding) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The body as the browser would read it: decoded, or for zstd (which this Node cannot decode) its frame checked. */
function decoded(encoding, body) {
  if (encoding === 'gzip') return zlib.gunzipSync(body);
  if (encoding === 'br') return zlib.brotliDecompressSync(body);
  if (encoding === 'zstd') {
    if (zlib.zstdDecompressSync) return zlib.zstdDecompressSync(body);
    assert.equal(body.subarray(0, 4).toString('hex'), '28b52ffd', 'a zstd frame');
    return null;
  }
  throw new Error(`unexpected Content-Encoding ${encoding}`);
}

/**
 * The site's files as a page asks for them: not _headers (config), not
 * dotfiles, not precompressed side files (name.gz, name.br), which these
 * snippets leave alone and compress on the fly.
 */
const siteFiles = (site) => walk(site)
  .filter((f) => f !== '_headers' && !/\.(gz|br)$/.test(f) && !f.split('/').some((p) => p.startsWith('.')));

/** Every file: status, Cache-Control, isolation and CSP; the compressible ones compressed, both ways. */
async function assertServes(url, site, best) {
  const compressed = [];
  for (const file of ['', ...siteFiles(site)]) {
    const res = await get(url + file, ACCEPT);
    const what = `/pg/${file}`;
    assert.equal(res.status, 200, what);
    assert.equal(res.headers['cache-control'], cacheControl(file || 'index.html'), `${what}: Cache-Control`);
    for (const [name, value] of Object.entries(ISOLATION)) assert.equal(res.headers[name.toLowerCase()], value, `${what}: ${name}`);
    assert.equal(res.headers['content-security-policy'], CSP, `${what}: CSP`);
    if (file.endsWith('.wasm')) assert.equal(res.headers['content-type'], 'application/wasm', what);
    if (!COMPRESSIBLE.test(file) || statSync(join(site, file)).size < MIN_COMPRESSED) continue;
    const original = readFileSync(join(site, file));
    assert.equal(res.headers['content-encoding'], best, `${what}: compressed for Chromium`);
    assert.match(res.headers.vary ?? '', /accept-encoding/i, `${what}: Vary`);
    const body = decoded(best, res.body);
    if (body) assert.ok(body.equals(original), `${what}: decodes to the file`);
    // A client that takes gzip alone gets gzip.
    const gz = await get(url + file, 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip', `${what}: gzip`);
    assert.ok(zlib.gunzipSync(gz.body).equals(original), `${what}: gzip decodes to the file`);
    compressed.push(file);
  }
  // The files that matter most were among them.
  for (const pattern of [/-[0-9a-f]{16}_bg\.wasm$/, /-[0-9a-f]{16}\.js$/, /^style-[0-9a-f]{16}\.css$/, /^main\.js$/]) {
    assert.ok(compressed.some((f) => pattern.test(f)), `compressed: ${pattern}`);
  }
}

const run = (page, config) => page.evaluate((c) => window.playground.run(c), config);
const primes = { scenario: 'primes', model: 'threads', workers: 2, params: { limits: [3000, 2000] } };
const pages = { scenario: 'downloads', model: 'async', params: { preset: 'pages', latency_ms: 50, limit: 6 } };
const problems = (logs) => logs.filter((l) => /^(error|pageerror)|Content Security Policy|Refused/i.test(l));

/** In Chromium: isolated with shared memory, threads and downloads run, nothing refused. */
async function assertRuns(url) {
  const page = await openPlayground(browser.context, url);
  try {
    const ready = await page.evaluate(() => window.playground.ready);
    assert.equal(ready.isolated, true, 'isolated');
    assert.equal(ready.shared_memory, true, 'shared memory');
    const record = await run(page, primes);
    assert.equal(record.error, undefined);
    assert.equal(record.env.shared_memory, true);
    assert.deepEqual(record.result.items.map((i) => i.count), [430, 303]);
    // The service worker answers net/ where it controls the page; the
    // server's own net/ files where it does not yet. Either way they arrive.
    const got = await run(page, pages);
    assert.equal(got.result.files.length, 6);
    assert.ok(got.result.files.every((f) => f.bytes > 0 && !f.error), JSON.stringify(got.result.files));
    assert.deepEqual(problems(page.logs), []);
  } finally {
    await page.close();
  }
}

for (const { name, cmd, start, best, accepted } of SERVERS) {
  test(`README's ${name} config in ${version(cmd)}: accepted, headers and ${best} on every file, threads and downloads in Chromium`, async () => {
    const scratch = scratchSite(dist);
    let server;
    try {
      server = await start(scratch.dir, scratch.site);
      assert.match(server.accepted, accepted, "the server's own check accepts the configuration");
      await assertServes(server.url, scratch.site, best);
      await assertRuns(server.url);
      if (server.errors) assert.deepEqual(server.errors(), [], 'the error log');
    } finally {
      // Stopped and waited for, every process of it; throws if any was left.
      await server?.stop();
      scratch.remove();
    }
  });
}

// _headers as Netlify and Cloudflare Pages read it: a path line, then
// indented `Name: value` lines; `#` comments. A request gets the headers of
// every rule whose path matches. Netlify (@netlify/headers-parser): `*` as a
// whole segment is optional, `:name` is one segment, a trailing slash is
// optional, case does not matter, a later rule replaces the same header.
// Cloudflare: one greedy `*`, `:name` one segment, the same header from two
// rules joined with a comma; at most 100 rules and 2,000 characters a line.
function parseHeaders(text) {
  const rules = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('/') || line.startsWith('https://')) { rules.push({ path: line, headers: [] }); continue; }
    const at = line.indexOf(':');
    assert.ok(rules.length && /^\s/.test(raw) && at > 0, `_headers line ${i + 1} is neither a path nor an indented header: ${raw}`);
    rules.at(-1).headers.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
  }
  return rules;
}
const escape = (s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
const HOSTS = {
  Netlify: {
    pattern: (path) => new RegExp(`^/${path.split('/').map((p) => p.trimEnd()).filter(Boolean)
      .map((p) => (p.startsWith(':') ? '([^/]+)' : p === '*' ? '?(.*)' : escape(p).replaceAll('*', '(.*)'))).join('/')}/?$`, 'iu'),
    merge: (into, name, value) => { into[name] = value; },
  },
  'Cloudflare Pages': {
    pattern: (path) => new RegExp(`^${escape(path).replace(/:\w+/g, '([^/]+)').replace('*', '(.*)')}$`),
    merge: (into, name, value) => { into[name] = into[name] === undefined ? value : `${into[name]}, ${value}`; },
  },
};

test('_headers, read as Netlify and Cloudflare Pages read it: every file of the build gets the same headers as from the servers', () => {
  const text = readFileSync(join(dist, '_headers'), 'utf8');
  const rules = parseHeaders(text);
  assert.ok(rules.length <= 100, `Cloudflare Pages takes at most 100 rules; _headers has ${rules.length}`);
  assert.ok(text.split('\n').every((l) => l.length <= 2000), 'Cloudflare Pages: 2,000 characters a line');
  assert.ok(rules.every((r) => (r.path.match(/\*/g) ?? []).length <= 1), 'Cloudflare Pages: one splat a path');
  const { files } = JSON.parse(readFileSync(join(dist, 'precache.json'), 'utf8'));
  const paths = [...new Set([...files.map((f) => f.slice(1)), '/sw.js', '/precache.json'])];
  for (const [host, { pattern, merge }] of Object.entries(HOSTS)) {
    const matchers = rules.map((r) => ({ ...r, re: pattern(r.path) }));
    for (const path of paths) {
      const got = {};
      for (const rule of matchers.filter((r) => r.re.test(path))) {
        for (const [name, value] of rule.headers) merge(got, name.toLowerCase(), value);
      }
      const file = path === '/' ? 'index.html' : path.slice(1);
      const want = Object.fromEntries(Object.entries({ ...SITE_HEADERS, 'Cache-Control': cacheControl(file) })
        .map(([k, v]) => [k.toLowerCase(), v]));
      assert.deepEqual(got, want, `${host}: ${path}`);
    }
  }
});
