// Chromium: Debian's chromium driven by playwright-core (tests/browser.mjs),
// seen through the same Tab as the other engines.
import { launch } from '../browser.mjs';
import { Tab } from './tab.mjs';

export async function launchChromium() {
  const browser = await launch();
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  let frame = page.mainFrame();
  const commands = {
    navigate: async (url) => { frame = page.mainFrame(); await page.goto(url); },
    // An expression (the DevTools protocol evaluates it, whatever the
    // page's content security policy), settled into {ok} or {failed}.
    run: (fn, arg) => frame.evaluate(`Promise.resolve().then(() => (${fn})(${JSON.stringify(arg)})).then(
      (v) => ({ ok: v === undefined ? null : v }), (e) => ({ failed: String((e && e.message) || e) }))`)
      .catch((e) => ({ failed: e.message })),
    screenshot: async () => (await page.screenshot({ fullPage: true })).toString('base64'),
    switchToFrame: async (selector) => {
      frame = selector === null ? page.mainFrame() : await (await frame.$(selector)).contentFrame();
    },
  };
  return { name: 'chromium', tab: new Tab(commands), close: () => browser.close() };
}
