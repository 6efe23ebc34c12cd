// Debian's nginx, Apache and Caddy, each started on 127.0.0.1 with the
// configuration README.md ("Hosting") gives, read from README.md itself: the
// README is what tests/servers.test.mjs tests. Only the folder, the listen
// address and the host name are put in; what each server needs around the
// snippet (an http block, a minimal Apache, Caddy's global options) is here.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
/** The folder, port and host name the README's snippets are written for. */
const README_DIST = '/srv/pg/dist';
const README_HOST = 'example.org';
export const PREFIX = '/pg/';
// Root hands the workers to www-data, as Debian's packages do; nginx and
// Apache refuse to serve as root, and an unprivileged user keeps its own.
const asRoot = process.getuid?.() === 0;
// The servers live in /usr/sbin, which a user's PATH may lack.
const PATH = `${process.env.PATH}:/usr/sbin:/sbin`;

/** The one fenced block of README.md tagged `lang` (```nginx, ```apache, ```caddy). */
export function snippet(lang) {
  const blocks = [...readFileSync(README, 'utf8').matchAll(/^```([\w-]*)\n([\s\S]*?)^```$/gm)]
    .filter((m) => m[1] === lang);
  if (blocks.length !== 1) throw new Error(`README.md has ${blocks.length} \`\`\`${lang} blocks, expected one`);
  return blocks[0][2];
}

/** `text` with every `from` replaced; a snippet that no longer has `from` is an error, not a silent pass. */
function put(text, from, to) {
  if (!text.includes(from)) throw new Error(`the README snippet has no ${JSON.stringify(from)} to replace`);
  return text.split(from).join(to);
}

/** A free port on 127.0.0.1 (asked from the kernel, then released for the server). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Every file under `dir`, as paths relative to it with `/`. */
export function walk(dir, base = dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p, base) : [p.slice(base.length + 1)];
  });
}

/**
 * A scratch folder with a world-readable copy of the build in `dist/` (the
 * servers' workers run as www-data; dist/ itself is never touched).
 */
export function scratchSite(dist) {
  const dir = mkdtempSync(join(tmpdir(), 'playground-servers-'));
  const site = join(dir, 'dist');
  cpSync(dist, site, { recursive: true });
  const openUp = (p) => {
    const folder = statSync(p).isDirectory();
    chmodSync(p, folder ? 0o755 : 0o644);
    if (folder) for (const n of readdirSync(p)) openUp(join(p, n));
  };
  openUp(dir);
  return { dir, site, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run a server's own config check; resolves to its output, throws with it when refused. */
function check(cmd, args, env) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, PATH, ...env }, timeout: 30_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} refused the configuration:\n${output}`);
  return output;
}

/**
 * Start `cmd` in the foreground in a process group of its own, wait until
 * 127.0.0.1:port accepts, and return `stop()`, which ends the group and
 * waits for every process in it.
 */
async function run(cmd, args, port, env = {}) {
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH, ...env } });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let done = false;
  exited.then(() => { done = true; });
  const group = child.pid;
  const signalGroup = (sig) => { try { process.kill(-group, sig); } catch { /* already gone */ } };
  const groupAlive = () => { try { process.kill(-group, 0); return true; } catch { return false; } };
  // If this test process is stopped early, the server goes with it.
  const onExit = () => signalGroup('SIGKILL');
  process.once('exit', onExit);

  async function stop() {
    process.off('exit', onExit);
    // The main process first (nginx, Apache and Caddy stop their workers themselves) ...
    if (!done) child.kill('SIGTERM');
    let timer;
    const graceful = await Promise.race([
      exited.then(() => true),
      new Promise((resolve) => { timer = setTimeout(resolve, 15_000, false); }),
    ]);
    clearTimeout(timer);
    if (!graceful) { signalGroup('SIGKILL'); await exited; }
    // ... then nothing of its group may be left.
    const deadline = Date.now() + 10_000;
    while (groupAlive() && Date.now() < deadline) await delay(50);
    const leftover = groupAlive();
    if (leftover) signalGroup('SIGKILL');
    if (!graceful || leftover) throw new Error(`${cmd} did not stop by itself${leftover ? ' (processes were left)' : ''}:\n${output}`);
  }

  const deadline = Date.now() + 20_000;
  while (!(await accepts(port))) {
    if (done || Date.now() > deadline) {
      await stop().catch(() => {});
      throw new Error(`${cmd} did not start listening on 127.0.0.1:${port}:\n${output}`);
    }
    await delay(50);
  }
  return { pid: child.pid, stop, output: () => output };
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** nginx with the README's `map` and `server`, inside the `http {}` a site file of Debian's lives in. */
export async function startNginx(dir, site) {
  const port = await freePort();
  let conf = snippet('nginx');
  conf = put(conf, README_DIST, site);
  conf = put(conf, 'listen 80;', `listen 127.0.0.1:${port};`);
  conf = put(conf, `server_name ${README_HOST};`, 'server_name 127.0.0.1;');
  const file = join(dir, 'nginx.conf');
  const temp = (name) => `${name}_temp_path ${join(dir, name)};`;
  writeFileSync(file, `${asRoot ? 'user www-data;\n' : ''}pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')};
worker_processes 1;
events {}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n    ')}
${conf}
}
`);
  const errorLog = ['-e', join(dir, 'nginx-error.log')];
  const accepted = check('nginx', ['-t', '-c', file, ...errorLog]);
  const server = await run('nginx', ['-c', file, ...errorLog, '-g', 'daemon off;'], port);
  return { ...server, accepted, url: `http://127.0.0.1:${port}${PREFIX}` };
}

/**
 * Apache with the README's `.htaccess` in the site's folder: a minimal
 * server with the modules the README names and `AllowOverride All` there.
 * Debian's deflate.conf is left out on purpose, so what compresses is the
 * snippet's own doing.
 */
export async function startApache(dir, site) {
  const port = await freePort();
  writeFileSync(join(site, '.htaccess'), snippet('apache'), { mode: 0o644 });
  const modules = ['mpm_event', 'authz_core', 'dir', 'mime', 'alias', 'headers', 'filter', 'deflate', 'brotli'];
  const file = join(dir, 'apache2.conf');
  writeFileSync(file, `ServerRoot /etc/apache2
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
PidFile ${join(dir, 'apache2.pid')}
DefaultRuntimeDir ${dir}
ErrorLog ${join(dir, 'apache2-error.log')}
${asRoot ? 'User www-data\nGroup www-data' : ''}
${modules.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`).join('\n')}
TypesConfig /etc/mime.types
DirectoryIndex index.html
Alias ${PREFIX} ${site}/
<Directory ${site}/>
    AllowOverride All
    Require all granted
</Directory>
`);
  const accepted = check('apache2', ['-t', '-f', file]);
  const server = await run('apache2', ['-f', file, '-DFOREGROUND'], port);
  // The .htaccess is read per request: its errors show in the log, not in -t.
  const errors = () => readFileSync(join(dir, 'apache2-error.log'), 'utf8').split('\n')
    .filter((l) => /\[(\w+:)?(emerg|alert|crit|error)\]|\.htaccess/.test(l));
  return { ...server, accepted, errors, url: `http://127.0.0.1:${port}${PREFIX}` };
}

/** Caddy with the README's site block, its address made plain HTTP on loopback. */
export async function startCaddy(dir, site) {
  const port = await freePort();
  let conf = snippet('caddy');
  conf = put(conf, README_DIST, site);
  conf = put(conf, `${README_HOST} {`, `http://127.0.0.1:${port} {`);
  const file = join(dir, 'Caddyfile');
  // No admin endpoint (it would take port 2019), and bound to loopback only:
  // the site address names the host to answer, not where to listen.
  writeFileSync(file, `{\n\tadmin off\n\tdefault_bind 127.0.0.1\n}\n${conf}`);
  const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') };
  const accepted = check('caddy', ['validate', '--config', file, '--adapter', 'caddyfile'], env);
  const server = await run('caddy', ['run', '--config', file, '--adapter', 'caddyfile'], port, env);
  return { ...server, accepted, url: `http://127.0.0.1:${port}${PREFIX}` };
}

/** Each server's version (nginx/1.22.1, Apache/2.4.x (Debian), Caddy 2.6.2), for the test names. */
export function version(cmd) {
  const args = { nginx: ['-v'], apache2: ['-v'], caddy: ['version'] }[cmd];
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, PATH } });
  const line = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n')[0].trim().replace(/^(nginx|Server) version:\s*/, '');
  return cmd === 'caddy' ? `Caddy ${line.split(' ')[0]}` : line || `${cmd} (not found)`;
}
