// Trunk post-build hook. It
// 1. writes the module's hashed name into the files that import it and keep
//    stable names of their own (main.js and the worker bootstraps);
// 2. lists every file of the build in precache.json and stamps the build's
//    content hash into sw.js, so a new deployment installs a new service
//    worker with a new cache;
// 3. writes _headers for static hosts that read one (README, "Hosting").
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { mkdirSync } from 'node:fs';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { ISOLATION, SITE_HEADERS, cacheControl } from './site-headers.mjs';

/** The limits of the memory a wasm file imports (its import section). */
function importedMemory(path) {
  const b = readFileSync(path);
  let i = 8;
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = b[i++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  const skipName = () => {
    const length = leb();
    i += length;
  };
  while (i < b.length) {
    const section = b[i++];
    const size = leb();
    const end = i + size;
    if (section === 2) {
      for (let n = leb(); n > 0; n--) {
        skipName();
        skipName();
        const kind = b[i++];
        if (kind === 0) leb(); // a function's type
        else if (kind === 1) { i++; const flags = leb(); leb(); if (flags & 1) leb(); } // a table
        else if (kind === 3) i += 2; // a global
        else if (kind === 2) {
          const flags = leb();
          const initial = leb();
          return { initial, maximum: flags & 1 ? leb() : null };
        } else throw new Error(`${path}: import kind ${kind} not understood`);
      }
    }
    i = end;
  }
  throw new Error(`${path} imports no memory`);
}

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this from trunk');
const walk = (d) => readdirSync(d).flatMap((n) => {
  const p = join(d, n);
  return statSync(p).isDirectory() ? walk(p) : [p];
});
// 0. trunk builds one "main" module (the page's) with hashed names; the
//    compute module is its second, a "worker" module, which it names
//    plainly. Give its two files hashed names the same way, so hosts may
//    cache them for good too.
for (const [plain, suffix] of [['compute.js', '.js'], ['compute_bg.wasm', '_bg.wasm']]) {
  const path = join(dir, plain);
  if (!existsSync(path)) continue; // stamped already (a redeployment in the tests)
  const hash = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
  renameSync(path, join(dir, `compute-${hash}${suffix}`));
}

const generated = ['sw.js', 'precache.json', '_headers', '.trunk-lock'];
const sideFile = (f) => /\.(gz|br)$/.test(f);
const files = walk(dir)
  .map((p) => relative(dir, p).split('\\').join('/'))
  .filter((f) => !generated.includes(f) && !f.startsWith('net/') && !sideFile(f))
  .sort();

// 1. The hashed names, where the bootstraps import a module or fetch its
//    wasm: the page's module (playground) in main.js, the compute module in
//    the workers' bootstraps; and each wasm's size where its progress is told.
const named = (pattern, what) => files.find((f) => pattern.test(f)) ?? (() => { throw new Error(`the build has no ${what}`); })();
const modules = Object.fromEntries(['playground', 'compute'].map((name) => [name, {
  js: named(new RegExp(`^${name}(-[0-9a-f]+)?\\.js$`), `${name}*.js module`),
  wasm: named(new RegExp(`^${name}(-[0-9a-f]+)?_bg\\.wasm$`), `${name}*_bg.wasm`),
}]));
// Idempotent: a stamped file (a redeployment in the tests) is stamped again.
const stampsOf = (name) => [
  [new RegExp(`'\\./${name}(-[0-9a-f]+)?\\.js'`, 'g'), `'./${modules[name].js}'`],
  [new RegExp(`'\\./${name}(-[0-9a-f]+)?_bg\\.wasm'`, 'g'), `'./${modules[name].wasm}'`],
];
const uses = {
  'main.js': ['playground', 2], 'compute-worker.js': ['compute', 2], 'process-worker.js': ['compute', 1], 'thread-worker.js': ['compute', 1],
};
for (const [f, [name, count]] of Object.entries(uses)) {
  const path = join(dir, f);
  let text = readFileSync(path, 'utf8');
  const stamps = stampsOf(name);
  const found = stamps.filter(([pattern]) => text.match(pattern)).length;
  if (found !== count) throw new Error(`${f} names ${found} of the build's ${name} files, expected ${count}`);
  for (const [pattern, stamped] of stamps) text = text.replace(pattern, stamped);
  // The wasm's size, for the progress line while it arrives (compressed on
  // the wire, so the response's own length does not tell).
  const size = /const WASM_BYTES = \d+;/;
  if (count === 2) {
    if (!size.test(text)) throw new Error(`${f} has no WASM_BYTES to stamp`);
    text = text.replace(size, `const WASM_BYTES = ${statSync(join(dir, modules[name].wasm)).size};`);
  }
  writeFileSync(path, text);
}
// 1b. Where a worker or the page makes its module's memory itself (a smaller
//     most than the module allows, see main.js and process-worker.js), it
//     must start at least as large as the module asks: its initial pages.
for (const [f, name] of [['main.js', 'playground'], ['process-worker.js', 'compute']]) {
  const path = join(dir, f);
  const text = readFileSync(path, 'utf8');
  const pages = /const INITIAL_PAGES = \d+;/;
  if (!pages.test(text)) throw new Error(`${f} has no INITIAL_PAGES to stamp`);
  writeFileSync(path, text.replace(pages, `const INITIAL_PAGES = ${importedMemory(join(dir, modules[name].wasm)).initial};`));
}
const module = `${modules.playground.js} and ${modules.compute.js}`;
// The compute side's files, which main.js asks for once the page's module
// has arrived (the compute worker and its workers then find them on their
// way, without a round trip for each import first).
{
  const path = join(dir, 'main.js');
  const text = readFileSync(path, 'utf8');
  const list = /const COMPUTE_FILES = \[[^\]]*\];/;
  if (!list.test(text)) throw new Error('main.js has no COMPUTE_FILES to stamp');
  const compute = [modules.compute.js, modules.compute.wasm, 'thread-worker.js', 'process-worker.js',
    ...files.filter((f) => f.startsWith('snippets/'))].map((f) => `./${f}`);
  writeFileSync(path, text.replace(list, `const COMPUTE_FILES = ${JSON.stringify(compute)};`));
}

// wasm-bindgen-rayon starts its threads from a blob: copy of its helper
// (for helpers on another origin), which a CSP with worker-src 'self'
// refuses. Ours is same-origin: start each helper from its own URL, a query
// of its own per worker (as the threads' and isolated workers' bootstraps
// are started): WebKitGTK with shared memory, offline, loaded one of four
// workers started at once from the same URL through the service worker and
// failed the rest, so the pool never started.
for (const f of files.filter((f) => /^snippets\/wasm-bindgen-rayon-[^/]+\/src\/workerHelpers\.no-bundler\.js$/.test(f))) {
  const path = join(dir, f);
  const text = readFileSync(path, 'utf8');
  const blob = /let scriptBlob = await fetch\(import\.meta\.url\)\.then\(r => r\.blob\(\)\);\s*let url = URL\.createObjectURL\(scriptBlob\);/;
  const own = 'let url = `${import.meta.url.split(\'?\')[0]}?helper=${++helperStarts}`; // see .ci/stamp-build.mjs';
  if (blob.test(text)) writeFileSync(path, `let helperStarts = 0; // see .ci/stamp-build.mjs\n${text.replace(blob, own)}`);
  else if (!text.includes(own)) throw new Error(`${f}: the rayon helper changed; check how it starts workers`);
}

// 2. Precache manifest and the service worker's version.
const hash = createHash('sha256');
for (const f of files) hash.update(f).update(readFileSync(join(dir, f)));
const version = hash.digest('hex').slice(0, 16);
// Each file's own hash: the service worker checks what it keeps against it,
// so a copy from the HTTP cache is used only if it is this build's.
const sha256 = (f) => createHash('sha256').update(readFileSync(join(dir, f))).digest('hex').slice(0, 16);
const listed = Object.fromEntries([['./', sha256('index.html')], ...files.map((f) => [`./${f}`, sha256(f)])]);
writeFileSync(join(dir, 'precache.json'), JSON.stringify({ version, files: Object.keys(listed), sha256: listed }, null, 1));
const sw = join(dir, 'sw.js');
const swText = readFileSync(sw, 'utf8');
for (const [name, value] of Object.entries(ISOLATION)) {
  // The service worker adds these on hosts that send none: keep it in step.
  if (!swText.includes(`'${name}': '${value}'`)) throw new Error(`sw.js does not add ${name}: ${value}`);
}
if (!/const PAGE = '';/.test(swText) && !/const PAGE = ".*";/.test(swText)) throw new Error('sw.js has no PAGE to stamp');
writeFileSync(sw, swText
  .replace(/const VERSION = '[^']*';/, `const VERSION = '${version}';`)
  .replace(/const PAGE = (''|".*");/, () => `const PAGE = ${JSON.stringify(readFileSync(join(dir, 'index.html'), 'utf8'))};`));

// 3. _headers (Netlify, Cloudflare Pages and others): one block for every
//    path, then one Cache-Control per file, so no path gets two.
const block = (path, headers) => `${path}\n${Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`;
const perFile = ['', ...files, 'sw.js', 'precache.json'].map((f) => block(`/${f}`, { 'Cache-Control': cacheControl(f) }));
writeFileSync(join(dir, '_headers'), [block('/*', SITE_HEADERS), ...perFile].join('\n'));

// 4. The download files as plain files (net-files.js), for hosts where no
//    service worker runs; where one does, it answers net/ itself.
const net = vm.createContext({});
vm.runInContext(readFileSync(join(dir, 'net-files.js'), 'utf8'), net);
for (const [kind, file] of vm.runInContext('netFiles()', net)) {
  const path = join(dir, 'net', kind, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, vm.runInContext(`netFile(${JSON.stringify(kind)}, ${JSON.stringify(file)})`, net).bytes);
}

// 5. Precompressed side files (name.gz, name.br) of everything text or
//    wasm, for hosts that serve them as they are (nginx's gzip_static,
//    Apache's and Caddy's precompressed files; README, "Hosting"). gzip by
//    Zopfli (any gzip reader reads it; the two modules 5 % smaller than
//    zlib's level 9 makes them, BENCHMARKS.md), brotli by Node's zlib; never
//    listed in precache.json or _headers.
const { gzipAsync } = createRequire(join(dirname(import.meta.dirname), 'tests', 'package.json'))('@gfx/zopfli');
const compressible = /\.(wasm|js|css|json|html|svg)$/;
let sides = 0;
for (const f of [...files, 'sw.js', 'precache.json'].filter((f) => compressible.test(f))) {
  const bytes = readFileSync(join(dir, f));
  writeFileSync(join(dir, `${f}.gz`), await gzipAsync(bytes, { numiterations: 15 }));
  writeFileSync(join(dir, `${f}.br`), brotliCompressSync(bytes, {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }));
  sides += 2;
}

console.log(`stamped build ${version} (${files.length} files, module ${module})`);
