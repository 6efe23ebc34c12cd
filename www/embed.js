// The author's loader: one <script src=".../embed.js" async> on a tutorial
// page turns every element with a data-playground attribute (a link's query,
// e.g. "scenario=primes&models=serial,threads") into an embedded playground
// when it scrolls into view, and sizes each iframe to its content from the
// playground's "playground:resize" messages. Several embeds per page work.
(() => {
  const script = document.currentScript;
  if (!script) return; // loaded as a module or injected: no base to work from
  const base = new URL('./', script.src);
  const frames = new Set();

  window.addEventListener('message', (event) => {
    if (event.origin !== base.origin) return;
    const { type, height } = event.data ?? {};
    if (type !== 'playground:resize' || !Number.isFinite(height)) return;
    for (const frame of frames) {
      if (frame.contentWindow === event.source) frame.style.height = `${Math.ceil(height)}px`;
    }
  });

  function mount(el) {
    const query = (el.getAttribute('data-playground') ?? '').replace(/^\?/, '');
    const params = new URLSearchParams(query);
    params.set('embed', '1');
    const frame = document.createElement('iframe');
    frame.src = new URL(`./?${params}`, base).href;
    frame.title = el.getAttribute('data-title') || 'Parallelism playground';
    frame.allow = 'cross-origin-isolated';
    frame.loading = 'lazy';
    frame.style.width = '100%';
    frame.style.height = '320px';
    frame.style.border = '0';
    frames.add(frame);
    el.replaceChildren(frame);
  }

  const seen = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      seen.unobserve(entry.target);
      mount(entry.target);
    }
  }, { rootMargin: '200px' });

  function scan() {
    for (const el of document.querySelectorAll('[data-playground]:not([data-playground-ready])')) {
      el.setAttribute('data-playground-ready', '');
      seen.observe(el);
    }
  }
  // Elements added later (a page that renders as it goes) are picked up too.
  window.playgroundEmbeds = { scan };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan);
  else scan();
})();
