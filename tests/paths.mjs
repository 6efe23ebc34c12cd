// Where the browser tests find the build and leave their screenshots.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const dist = fileURLToPath(new URL('../dist', import.meta.url));
export const shots = fileURLToPath(new URL('./output', import.meta.url));
mkdirSync(shots, { recursive: true });
