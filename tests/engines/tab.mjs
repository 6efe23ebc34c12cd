// One browser tab, the same for every engine: the few things the
// cross-engine tests do (go to a URL, run a function in the page and await
// its promise, wait for a condition, look at the page, enter an iframe).
// Each engine module supplies the raw commands.
import { writeFileSync } from 'node:fs';
import { assertRecords } from '../schema.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The body of an asynchronous WebDriver script that runs `fn(arg)` in the
 * page and calls back with `{ok}` or `{failed}`, so a rejection arrives as a
 * value (WebDriver has no way to pass one).
 */
export function asyncScript(fn) {
  return `const done = arguments[arguments.length - 1];
Promise.resolve().then(() => (${fn})(arguments[0])).then(
  (v) => done({ ok: v === undefined ? null : v }),
  (e) => done({ failed: String((e && e.message) || e) }));`;
}

/**
 * Page-side: `window.playground.ready`'s value once it has resolved, null
 * before. Returns at once (a page that reloads itself would cut off a
 * script that waits, and some drivers then hang until their timeout), so
 * it is polled: `tab.waitFor(whenReady)`.
 */
export const whenReady = () => {
  if (!window.playground) return null;
  if (!window.__ready) {
    window.__ready = 'waiting';
    window.playground.ready.then((info) => { window.__ready = { info }; }, (e) => { window.__ready = { failed: String(e.message ?? e) }; });
  }
  if (window.__ready === 'waiting') return null;
  if (window.__ready.failed) throw new Error(`ready rejected: ${window.__ready.failed}`);
  return window.__ready.info;
};

export class Tab {
  /**
   * `commands`: `navigate(url)`, `run(fnSource, arg)` → `{ok}|{failed}`,
   * `screenshot()` → base64 PNG, `switchToFrame(selector|null)`.
   */
  constructor(commands) {
    this.commands = commands;
  }

  goto(url) {
    return this.commands.navigate(url);
  }

  /** `fn(arg)` in the page; its promise is awaited; a rejection throws. */
  async evaluate(fn, arg = null) {
    const out = await this.commands.run(fn.toString(), arg);
    if (out && 'failed' in out) throw new Error(out.failed);
    // Every run record read from a page matches dist/schema/record.json.
    return assertRecords(out?.ok);
  }

  /**
   * Poll `fn(arg)` until it returns something truthy (errors while the page
   * (re)loads count as not yet); resolves to that value.
   */
  async waitFor(fn, arg = null, { timeout = 60_000, every = 100 } = {}) {
    const until = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        const value = await this.evaluate(fn, arg);
        if (value) return value;
      } catch (e) {
        last = e;
      }
      if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${fn}${last ? ` (last error: ${last.message})` : ''}`);
      await sleep(every);
    }
  }

  async screenshot(path) {
    writeFileSync(path, Buffer.from(await this.commands.screenshot(), 'base64'));
  }

  /** Enter the iframe `selector`; `null` goes back to the top document. */
  frame(selector) {
    return this.commands.switchToFrame(selector);
  }
}
