// WebKit: WebKitGTK's MiniBrowser driven by WebKitWebDriver (W3C WebDriver
// over HTTP), both from Debian's packages, on an Xvfb display of its own
// (MiniBrowser has no headless mode). One driver process per session.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Tab, asyncScript } from './tab.mjs';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** An X display on a fresh Xvfb; resolves to {display, stop}. */
export function startXvfb() {
  return new Promise((resolve, reject) => {
    // -displayfd: Xvfb picks a free display and writes its number to fd 3.
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let said = '';
    xvfb.stdio[3].on('data', (d) => {
      said += d;
      if (said.includes('\n')) resolve({ display: `:${said.trim()}`, stop: () => xvfb.kill() });
    });
    xvfb.on('error', reject);
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Start MiniBrowser under WebKitWebDriver. `sharedMemory`: switch
 * SharedArrayBuffer on (`JSC_useSharedArrayBuffer=1`, as Safari has it);
 * WebKitGTK's default leaves it off.
 */
export async function launchWebKit({ sharedMemory = false } = {}) {
  const x = await startXvfb();
  const port = await freePort();
  const env = { ...process.env, DISPLAY: x.display, ...(sharedMemory ? { JSC_useSharedArrayBuffer: '1' } : {}) };
  const driver = spawn('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], { env, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method, headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body),
    });
    const { value } = await response.json();
    if (value?.error) throw new Error(`${value.error}: ${value.message}`);
    return value;
  };
  for (let i = 0; ; i++) {
    try { await call('GET', '/status'); break; } catch (e) {
      if (i > 100) throw new Error(`WebKitWebDriver did not answer: ${e.message}`);
      await sleep(100);
    }
  }
  const session = await call('POST', '/session', { capabilities: { alwaysMatch: {
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
  } } });
  const id = session.sessionId;
  const s = (path) => `/session/${id}${path}`;
  await call('POST', s('/timeouts'), { script: 300_000, pageLoad: 120_000 });
  await call('POST', s('/window/rect'), { width: 1100, height: 900 }).catch(() => {});
  const commands = {
    navigate: (url) => call('POST', s('/url'), { url }),
    run: (fn, arg) => call('POST', s('/execute/async'), { script: asyncScript(fn), args: [arg] }),
    screenshot: () => call('GET', s('/screenshot')),
    switchToFrame: async (selector) => {
      const element = selector === null ? null : await call('POST', s('/element'), { using: 'css selector', value: selector });
      return call('POST', s('/frame'), { id: element });
    },
  };
  return {
    name: sharedMemory ? 'webkit-shared-memory' : 'webkit',
    tab: new Tab(commands),
    async close() {
      await call('DELETE', s('')).catch(() => {});
      driver.kill();
      x.stop();
    },
  };
}
