// Firefox: Debian's firefox-esr driven over its own Marionette socket
// (classic WebDriver commands; frames are `<byte length>:<JSON>`, a command
// is `[0, id, name, params]`, a reply `[1, id, error, result]`). Not
// WebDriver BiDi: under BiDi, pages whose workers start workers hang.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './webdriver.mjs';
import { Tab, asyncScript } from './tab.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A quiet profile: no first-run pages, no updates, no calls to the network
// (this machine's network is closed; only 127.0.0.1 is talked to).
const PREFS = {
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.startup.page': 0,
  'browser.aboutwelcome.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.enabled': false,
  'app.update.auto': false,
  'app.update.enabled': false,
  'app.normandy.enabled': false,
  'extensions.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.newtabpage.enabled': false,
  'dom.ipc.processCount': 4,
};

/** A Marionette connection: `send(name, params)` resolves to the result. */
async function connectMarionette(port) {
  let socket;
  for (let i = 0; ; i++) {
    try {
      socket = await new Promise((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', reject);
      });
      break;
    } catch (e) {
      if (i > 300) throw new Error(`Marionette did not listen on ${port}: ${e.message}`);
      await sleep(100);
    }
  }
  let buffer = Buffer.alloc(0);
  const frames = [];
  let wake = null;
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const colon = buffer.indexOf(0x3a);
      if (colon < 0) break;
      const length = Number(buffer.subarray(0, colon).toString());
      if (buffer.length < colon + 1 + length) break;
      frames.push(JSON.parse(buffer.subarray(colon + 1, colon + 1 + length).toString()));
      buffer = buffer.subarray(colon + 1 + length);
    }
    wake?.();
  });
  const next = async () => {
    while (frames.length === 0) await new Promise((r) => { wake = r; });
    return frames.shift();
  };
  await next(); // the greeting: {applicationType, marionetteProtocol}
  let id = 0;
  let queue = Promise.resolve();
  const send = (name, params = {}) => {
    // One command at a time: replies come in order.
    const result = queue.then(async () => {
      const body = Buffer.from(JSON.stringify([0, ++id, name, params]));
      socket.write(`${body.length}:`);
      socket.write(body);
      const [, , error, value] = await next();
      if (error) throw new Error(`${name}: ${error.error}: ${error.message}`);
      return value;
    });
    queue = result.catch(() => {});
    return result;
  };
  return { send, close: () => socket.destroy() };
}

export async function launchFirefox() {
  const profile = mkdtempSync(join(tmpdir(), 'playground-firefox-'));
  const port = await freePort();
  const prefs = { ...PREFS, 'marionette.port': port };
  writeFileSync(join(profile, 'user.js'),
    Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n'));
  const firefox = spawn(process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    ['--headless', '--marionette', '--no-remote', '--profile', profile, '--width', '1100', '--height', '900'],
    { stdio: 'ignore', env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } });
  const m = await connectMarionette(port);
  await m.send('WebDriver:NewSession', { capabilities: { alwaysMatch: { pageLoadStrategy: 'normal' } } });
  await m.send('WebDriver:SetTimeouts', { script: 300_000, pageLoad: 120_000 });
  const commands = {
    navigate: (url) => m.send('WebDriver:Navigate', { url }),
    run: async (fn, arg) => (await m.send('WebDriver:ExecuteAsyncScript', { script: asyncScript(fn), args: [arg] })).value,
    screenshot: async () => (await m.send('WebDriver:TakeScreenshot', { full: true })).value,
    switchToFrame: async (selector) => {
      if (selector === null) return m.send('WebDriver:SwitchToFrame', { id: null });
      const element = await m.send('WebDriver:FindElement', { using: 'css selector', value: selector });
      return m.send('WebDriver:SwitchToFrame', { element: element.value?.['element-6066-11e4-a52e-4f735466cecf'] ?? element.value });
    },
  };
  return {
    name: 'firefox',
    tab: new Tab(commands),
    async close() {
      await m.send('Marionette:Quit', { flags: ['eForceQuit'] }).catch(() => {});
      m.close();
      await new Promise((r) => { if (firefox.exitCode !== null) r(); else { firefox.on('exit', r); setTimeout(() => { firefox.kill('SIGKILL'); r(); }, 5000); } });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
