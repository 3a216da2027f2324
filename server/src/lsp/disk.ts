/**
 * Read access to unit files on disk for the language server, cached by modification time so a
 * keystroke costs a few stat() calls, not reads. The core never touches the disk; this does.
 * Most folders of the unit search path do not exist: a missing path is a stat() that returns
 * nothing, not an exception (an exception costs several times the system call).
 */
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { decodeBytes } from '../service';

interface Entry {
  mtimeMs: number;
  size: number;
  text: string;
}

/** stat() of a path; undefined when it does not exist or cannot be stat()ed. */
function stat(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

export class Disk {
  private readonly texts = new Map<string, Entry>();
  private readonly dirs = new Map<string, { mtimeMs: number; names: string[] }>();

  /** Text of a file, or null when it does not exist or cannot be read. */
  readText(path: string): string | null {
    const st = stat(path);
    if (!st) {
      this.texts.delete(path);
      return null;
    }
    if (!st.isFile()) return null;
    const cached = this.texts.get(path);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.text;
    try {
      const text = decodeBytes(readFileSync(path));
      this.texts.set(path, { mtimeMs: st.mtimeMs, size: st.size, text });
      return text;
    } catch {
      return null;
    }
  }

  /** Names in a folder (empty when it does not exist). */
  list(dir: string): string[] {
    const st = stat(dir);
    if (!st) {
      this.dirs.delete(dir);
      return [];
    }
    if (!st.isDirectory()) return [];
    const cached = this.dirs.get(dir);
    if (cached && cached.mtimeMs === st.mtimeMs) return cached.names;
    try {
      const names = readdirSync(dir).sort();
      this.dirs.set(dir, { mtimeMs: st.mtimeMs, names });
      return names;
    } catch {
      return [];
    }
  }

  isFile(path: string): boolean {
    return stat(path)?.isFile() ?? false;
  }

  forget(): void {
    this.texts.clear();
    this.dirs.clear();
  }
}
