// Where the browser tests find the build and leave their screenshots.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// PLAYGROUND_DIST points the benchmarks at another build (an older one, to compare).
export const dist = process.env.PLAYGROUND_DIST ?? fileURLToPath(new URL('../dist', import.meta.url));
export const shots = fileURLToPath(new URL('./output', import.meta.url));
mkdirSync(shots, { recursive: true });
