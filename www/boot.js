// Runs before the app (deferred, so the shell in index.html is painted
// first): registers the service worker, and when the page is not
// cross-origin isolated yet (a host that sets no headers), reloads once so
// the service worker's headers apply. It publishes two promises:
// - `window.playgroundDraw`: the app may draw (at once where the page is
//   isolated already; never where it is about to reload);
// - `window.playgroundBoot`: workers may start. Only workers started after
//   the service worker controls the page go through it (WebKit and Firefox
//   do not hand it workers that were already running when it claimed the
//   page), and it is the latency server of the downloads (net/). Its
//   install is quick (it precaches after `ready`, see sw.js), so this waits
//   a moment on a first visit, and never on a later one.
(() => {
  if (new URLSearchParams(location.search).get('embed') === '1') {
    // The shell of an embed shows its progress line only (style.css).
    document.documentElement.dataset.embed = '1';
    // The host sizes the frame to the shell until the app reports its own.
    if (window.parent !== window) {
      window.parent.postMessage({ type: 'playground:resize', height: Math.ceil(document.documentElement.scrollHeight) }, '*');
    }
  }
  const within = (ms, promise) => Promise.race([promise, new Promise((_, no) => setTimeout(() => no(new Error('timed out')), ms))]);
  // Resolves once the service worker controls this page (at once on every
  // visit after the first).
  const controlled = async () => {
    const registered = navigator.serviceWorker.register('./sw.js');
    // Controlled already: go on at once. Registering again checks for a new
    // build, which can take seconds (measured: 1.9 s on loopback, the
    // service worker being started again) and is no reason to wait.
    if (navigator.serviceWorker.controller) {
      registered.catch(() => {});
      return;
    }
    await registered;
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      // First visit: wait for the worker to take control of this page.
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  };
  const say = (text) => {
    const line = document.getElementById('env');
    if (line) line.textContent = text;
  };

  if (!('serviceWorker' in navigator)) {
    window.playgroundDraw = window.playgroundBoot = Promise.resolve('no service worker');
    return;
  }
  if (self.crossOriginIsolated) {
    // The host's headers isolate the page already: draw now; workers start
    // once the service worker is in control, or after 5 s without it
    // (blocked, or very slow), then without latency for downloads.
    window.playgroundDraw = Promise.resolve('ready');
    window.playgroundBoot = within(5000, controlled()).then(() => 'ready', () => 'without service worker');
    try { sessionStorage.removeItem('playground-isolation-reload'); } catch { /* no storage */ }
    return;
  }
  window.playgroundDraw = window.playgroundBoot = (async () => {
    try {
      await within(5000, controlled());
    } catch (e) {
      // Blocked or unsupported here: the app still runs, without offline
      // use; it says so if threads are unavailable.
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
})();
