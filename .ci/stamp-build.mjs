// Trunk post-build hook. It
// 1. writes the module's hashed name into the files that import it and keep
//    stable names of their own (main.js and the worker bootstraps);
// 2. lists every file of the build in precache.json and stamps the build's
//    content hash into sw.js, so a new deployment installs a new service
//    worker with a new cache;
// 3. writes _headers for static hosts that read one (README, "Hosting").
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { mkdirSync } from 'node:fs';
import vm from 'node:vm';
import { ISOLATION, SITE_HEADERS, cacheControl } from './site-headers.mjs';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this from trunk');
const walk = (d) => readdirSync(d).flatMap((n) => {
  const p = join(d, n);
  return statSync(p).isDirectory() ? walk(p) : [p];
});
const generated = ['sw.js', 'precache.json', '_headers', '.trunk-lock'];
const files = walk(dir)
  .map((p) => relative(dir, p).split('\\').join('/'))
  .filter((f) => !generated.includes(f) && !f.startsWith('net/'))
  .sort();

// 1. The hashed names, where the bootstraps import the module or fetch the wasm.
const named = (pattern, what) => files.find((f) => pattern.test(f)) ?? (() => { throw new Error(`the build has no ${what}`); })();
const module = named(/^playground(-[0-9a-f]+)?\.js$/, 'playground*.js module');
const wasm = named(/^playground(-[0-9a-f]+)?_bg\.wasm$/, 'playground*_bg.wasm');
// Idempotent: a stamped file (a redeployment in the tests) is stamped again.
const stamps = [
  [/'\.\/playground(-[0-9a-f]+)?\.js'/g, `'./${module}'`],
  [/'\.\/playground(-[0-9a-f]+)?_bg\.wasm'/g, `'./${wasm}'`],
];
const uses = { 'main.js': 2, 'compute-worker.js': 2, 'process-worker.js': 1, 'thread-worker.js': 1 };
for (const [f, count] of Object.entries(uses)) {
  const path = join(dir, f);
  let text = readFileSync(path, 'utf8');
  const found = stamps.filter(([pattern]) => text.match(pattern)).length;
  if (found !== count) throw new Error(`${f} names ${found} of the build's files, expected ${count}`);
  for (const [pattern, name] of stamps) text = text.replace(pattern, name);
  writeFileSync(path, text);
}

// wasm-bindgen-rayon starts its threads from a blob: copy of its helper
// (for helpers on another origin), which a CSP with worker-src 'self'
// refuses. Ours is same-origin: start the helper from its own URL.
for (const f of files.filter((f) => /^snippets\/wasm-bindgen-rayon-[^/]+\/src\/workerHelpers\.no-bundler\.js$/.test(f))) {
  const path = join(dir, f);
  const text = readFileSync(path, 'utf8');
  const blob = /let scriptBlob = await fetch\(import\.meta\.url\)\.then\(r => r\.blob\(\)\);\s*let url = URL\.createObjectURL\(scriptBlob\);/;
  if (blob.test(text)) writeFileSync(path, text.replace(blob, 'let url = import.meta.url; // same origin: no blob needed'));
  else if (!text.includes('let url = import.meta.url;')) throw new Error(`${f}: the rayon helper changed; check how it starts workers`);
}

// 2. Precache manifest and the service worker's version.
const hash = createHash('sha256');
for (const f of files) hash.update(f).update(readFileSync(join(dir, f)));
const version = hash.digest('hex').slice(0, 16);
writeFileSync(join(dir, 'precache.json'), JSON.stringify({ version, files: ['./', ...files.map((f) => `./${f}`)] }, null, 1));
const sw = join(dir, 'sw.js');
const swText = readFileSync(sw, 'utf8');
for (const [name, value] of Object.entries(ISOLATION)) {
  // The service worker adds these on hosts that send none: keep it in step.
  if (!swText.includes(`'${name}': '${value}'`)) throw new Error(`sw.js does not add ${name}: ${value}`);
}
writeFileSync(sw, swText.replace("const VERSION = 'dev';", `const VERSION = '${version}';`));

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

console.log(`stamped build ${version} (${files.length} files, module ${module})`);
