/**
 * Writing a new file that an adapter created (the recommended drop-in), without ever replacing what is
 * there: the folders are created as needed, and the file is created exclusively, so an existing file
 * (or a link put in its place meanwhile) makes the write fail with a reason instead of being overwritten.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type WriteResult = { ok: true } | { ok: false; exists: boolean; reason: string };

export function writeNewFile(path: string, text: string): WriteResult {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: 'wx', mode: 0o644 });
    return { ok: true };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return {
      ok: false,
      exists: code === 'EEXIST',
      reason: code === 'EEXIST' ? 'it exists' : `${(e as Error).message}`,
    };
  }
}
