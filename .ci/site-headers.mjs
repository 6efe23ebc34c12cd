// The headers the playground wants from a host, in one place: the build
// writes them into dist/_headers, the test server sends them, and README
// ("Hosting") shows the same for nginx, Apache and Caddy.

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
  + "worker-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'";

/** Isolation for threads, on a top-level page and inside an iframe on any host page. */
export const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  // Lets a host page that is itself isolated embed the playground.
  'Cross-Origin-Resource-Policy': 'cross-origin',
  // Isolates the playground inside an iframe on a host page without headers.
  'Document-Isolation-Policy': 'isolate-and-require-corp',
};

export const SITE_HEADERS = {
  ...ISOLATION,
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
};

/** Files whose names carry their content hash are cached for good; the rest revalidate. */
export function cacheControl(file) {
  return /-[0-9a-f]{16}(_bg)?\.[a-z]+$/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
}
