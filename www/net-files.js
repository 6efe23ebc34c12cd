// The download files of the app's latency server, in one place: the service
// worker (sw.js, via importScripts) answers net/<kind>/<file> with them after
// a chosen latency, and the build (.ci/stamp-build.mjs) also writes them as
// plain files under net/, so hosts where no service worker runs serve the
// same bytes (at the host's own speed). Contents are generated from the name
// (a seeded generator), so they are the same everywhere.
const NET_KINDS = {
  pages: { count: 6, name: (i) => `post-${i}.html`, size: (i) => 12_000 + 3_000 * i, type: 'text/html' },
  images: { count: 20, name: (i) => `photo-${i}.jpg`, size: (i) => 40_000 + 7_000 * i, type: 'image/jpeg' },
};

/** `{bytes, type}` of net/<kind>/<file>, or null if there is no such file. */
function netFile(kind, file) {
  const spec = NET_KINDS[kind];
  if (!spec) return null;
  for (let i = 1; i <= spec.count; i++) {
    if (spec.name(i) !== file) continue;
    const bytes = new Uint8Array(spec.size(i));
    let x = 2166136261 ^ (i * 16777619) ^ kind.length;
    for (let k = 0; k < bytes.length; k++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      bytes[k] = x & 0xff;
    }
    return { bytes, type: spec.type };
  }
  return null;
}

/** Every file: [kind, file name]. */
function netFiles() {
  return Object.entries(NET_KINDS).flatMap(([kind, spec]) =>
    Array.from({ length: spec.count }, (_, i) => [kind, spec.name(i + 1)]));
}
