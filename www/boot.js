// Runs before the app: registers the service worker, and when the page is
// not cross-origin isolated yet (a host that sets no headers), reloads once
// so the service worker's headers apply. `window.playgroundBoot` resolves
// when the app may start; the page explains a reload while it happens.
window.playgroundBoot = (async () => {
  if (!('serviceWorker' in navigator)) return 'no service worker';
  const within = (ms, promise) => Promise.race([promise, new Promise((_, no) => setTimeout(() => no(new Error('timed out')), ms))]);
  // Resolves once the service worker controls this page (at once on every
  // visit after the first).
  const controlled = async () => {
    await navigator.serviceWorker.register('./sw.js');
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      // First visit: wait for the worker to take control of this page.
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  };
  if (self.crossOriginIsolated) {
    // The host's headers isolate the page already. The service worker is
    // still the latency server of the downloads (net/), and only workers
    // started after it controls the page go through it (WebKit and Firefox
    // do not hand it workers that were already running when it claimed the
    // page). So on a first visit the app starts once it is in control, or
    // after 5 s without it (blocked, or very slow to install), then without
    // latency for downloads.
    try { await within(5000, controlled()); } catch { /* start without it */ }
    try { sessionStorage.removeItem('playground-isolation-reload'); } catch { /* no storage */ }
    return 'ready';
  }
  const say = (text) => {
    const app = document.getElementById('app');
    if (app) app.innerHTML = `<p class="boot" role="status">${text}</p>`;
  };
  try {
    await within(5000, controlled());
  } catch (e) {
    // Blocked or unsupported here: the app still runs, without offline use;
    // it says so if threads are unavailable.
    return `service worker unavailable: ${e.message}`;
  }
  // One reload at most: the flag stays while this session's reload did not
  // isolate the page (a browser without Document-Isolation-Policy in an
  // iframe, say), so it never reloads again; the page then runs without
  // threads and says why.
  const key = 'playground-isolation-reload';
  let tried = false;
  try { tried = sessionStorage.getItem(key) !== null; } catch { tried = true; /* no storage: never reload */ }
  if (!self.crossOriginIsolated && navigator.serviceWorker.controller && !tried) {
    sessionStorage.setItem(key, '1');
    say('Enabling threads: this host sends no isolation headers, so the page reloads once through its service worker…');
    location.reload();
    return new Promise(() => {}); // the reload takes over
  }
  if (self.crossOriginIsolated) {
    try { sessionStorage.removeItem(key); } catch { /* nothing to forget */ }
  }
  return 'ready';
})();
