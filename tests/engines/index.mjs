// The browser engines the cross-engine tests run in, and what each is
// expected to offer on an isolated page. All from Debian's packages.
import { launchChromium } from './chromium.mjs';
import { launchFirefox } from './marionette.mjs';
import { launchWebKit } from './webdriver.mjs';

export const ENGINES = {
  chromium: { launch: launchChromium, sharedMemory: true, isolatesIframes: true },
  // No Document-Isolation-Policy: an iframe on a plain host page is not isolated.
  firefox: { launch: launchFirefox, sharedMemory: true, isolatesIframes: false },
  // WebKitGTK's defaults: isolated, yet no SharedArrayBuffer.
  webkit: { launch: () => launchWebKit(), sharedMemory: false, isolatesIframes: null },
  // JSC_useSharedArrayBuffer=1: shared memory on, as in Safari.
  // Its iframes on a plain host page say they are isolated on some loads
  // and not on others (measured): null accepts either, and the test checks
  // that threads run exactly where they are.
  'webkit-shared-memory': { launch: () => launchWebKit({ sharedMemory: true }), sharedMemory: true, isolatesIframes: null },
};

/** The engines to test: `ENGINES=firefox,webkit` picks some; all by default. */
export function selectedEngines() {
  const names = process.env.ENGINES ? process.env.ENGINES.split(',') : Object.keys(ENGINES);
  for (const n of names) if (!ENGINES[n]) throw new Error(`unknown engine ${n}: one of ${Object.keys(ENGINES).join(', ')}`);
  return names;
}
