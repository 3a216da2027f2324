/** Shared helpers for tests: corpus access and paths. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const SHARED = resolve(ROOT, '..', 'shared');
export const CORPUS = join(SHARED, 'corpus');

export function* walkFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walkFiles(p);
    else yield p;
  }
}

/** Every file of the shared corpus (units and drop-ins). */
export function corpusFiles(): string[] {
  return [...walkFiles(join(CORPUS, 'units'))];
}

export function readBytes(path: string): Buffer {
  return readFileSync(path);
}
