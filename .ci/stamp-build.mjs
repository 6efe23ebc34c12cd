// Trunk post-build hook: lists every file of the build in precache.json and
// stamps the build's content hash into sw.js, so a new deployment installs a
// new service worker with a new cache.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this from trunk');
const walk = (d) => readdirSync(d).flatMap((n) => {
  const p = join(d, n);
  return statSync(p).isDirectory() ? walk(p) : [p];
});
const files = walk(dir)
  .map((p) => relative(dir, p).split('\\').join('/'))
  .filter((f) => !['sw.js', 'precache.json', '.trunk-lock'].includes(f))
  .sort();
const hash = createHash('sha256');
for (const f of files) hash.update(f).update(readFileSync(join(dir, f)));
const version = hash.digest('hex').slice(0, 16);
writeFileSync(join(dir, 'precache.json'), JSON.stringify({ version, files: ['./', ...files.map((f) => `./${f}`)] }, null, 1));
const sw = join(dir, 'sw.js');
writeFileSync(sw, readFileSync(sw, 'utf8').replace("const VERSION = 'dev';", `const VERSION = '${version}';`));
console.log(`stamped build ${version} (${files.length} files)`);
