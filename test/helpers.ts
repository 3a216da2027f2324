/** Shared helpers for tests: corpus access and paths (test/requirements.ts says when they are missing). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const SHARED = resolve(ROOT, '..', 'shared');
/** The corpus of real units: ../shared/corpus, or the folder SYSTEMD_CORPUS names. */
export const CORPUS = process.env.SYSTEMD_CORPUS ?? join(SHARED, 'corpus');

export function* walkFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walkFiles(p);
    else yield p;
  }
}

/** Every file of the shared corpus (units and drop-ins); a test asks skipUnless('corpus') or need(t, 'corpus') first. */
export function corpusFiles(): string[] {
  return [...walkFiles(join(CORPUS, 'units'))];
}

export function readBytes(path: string): Buffer {
  return readFileSync(path);
}
