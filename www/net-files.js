// The download files of the app's latency server, in one place: the service
// worker (sw.js, via importScripts) answers net/<kind>/<file> with them after
// a chosen latency, the build (.ci/stamp-build.mjs) also writes them as plain
// files under net/ (for hosts where no service worker runs), and the engine
// reads the list between the markers as JSON for its presets
// (crates/engine/src/scenarios/downloads.rs): keep it JSON. A file's name is
// `name` with {i} = 1..count; its size is size[0] + size[1] × i bytes, its
// contents generated from the name (a seeded generator), so they are the
// same everywhere.
const NET_KINDS = /* net-files: begin */ {
  "pages": { "count": 6, "name": "post-{i}.html", "size": [12000, 3000], "type": "text/html" },
  "images": { "count": 20, "name": "photo-{i}.jpg", "size": [40000, 7000], "type": "image/jpeg" }
} /* net-files: end */;

/** `{bytes, type}` of net/<kind>/<file>, or null if there is no such file. */
function netFile(kind, file) {
  const spec = NET_KINDS[kind];
  if (!spec) return null;
  for (let i = 1; i <= spec.count; i++) {
    if (spec.name.replace('{i}', i) !== file) continue;
    const bytes = new Uint8Array(spec.size[0] + spec.size[1] * i);
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
    Array.from({ length: spec.count }, (_, i) => [kind, spec.name.replace('{i}', i + 1)]));
}
