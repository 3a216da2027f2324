/**
 * Read access to unit files on disk for the language server, cached by file identity and
 * modification time so a keystroke costs a few stat() calls, not reads. Every read goes through
 * io/read-file.ts: regular files only, non-blocking, at most MAX_FILE_BYTES, never /proc, /sys or
 * /dev. What could not be read comes back with the reason, for a diagnostic.
 * Most folders of the unit search path do not exist: a missing path is a stat() that returns
 * nothing, not an exception (an exception costs several times the system call).
 */
import { lstatSync, readdirSync, realpathSync, type Stats } from 'node:fs';
import { MAX_FILE_BYTES, readRegularFile, statPath, type ReadFailure } from '../io/read-file';
import { hardeningService } from '../service';

interface Entry {
  dev: number;
  ino: number;
  mtimeMs: number;
  size: number;
  text: string;
  /** Bytes read from the disk. */
  bytes: number;
}

export type DiskRead =
  { ok: true; text: string; bytes: number } | { ok: false; failure: ReadFailure; reason: string; size: number | null };

/** The real path (links resolved) of a path, or null. One realpath(3) call. */
export function realPath(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch {
    return null;
  }
}

/** Whether the path itself (not what it points to) is a symbolic link. */
export function isLink(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
  } catch {
    return false;
  }
}

/** The most bytes of file texts kept (a workspace scan reads thousands of files); the least recently used go first. */
const MAX_CACHED_BYTES = 64 << 20;
/** The most folder listings kept. */
const MAX_CACHED_DIRS = 20_000;

export class Disk {
  /** In order of last use (a hit moves an entry to the end). */
  private readonly texts = new Map<string, Entry>();
  private cachedBytes = 0;
  private readonly dirs = new Map<string, { mtimeMs: number; names: string[] }>();

  constructor(private readonly maxCachedBytes = MAX_CACHED_BYTES) {}

  /** Bytes of file texts kept. */
  get cached(): number {
    return this.cachedBytes;
  }

  /** The paths whose texts are kept, least recently used first. */
  cachedPaths(): string[] {
    return [...this.texts.keys()];
  }

  private dropText(path: string): void {
    const e = this.texts.get(path);
    if (!e) return;
    this.cachedBytes -= e.bytes;
    this.texts.delete(path);
  }

  private keepText(path: string, e: Entry): void {
    this.dropText(path);
    this.texts.set(path, e);
    this.cachedBytes += e.bytes;
    for (const [p] of this.texts) {
      if (this.cachedBytes <= this.maxCachedBytes || p === path) break;
      this.dropText(p);
    }
  }

  /** Text of a regular file, or why it was not read. `maxBytes` lowers the per-file limit. */
  read(path: string, maxBytes = MAX_FILE_BYTES): DiskRead {
    const st = statPath(path);
    if (!st) {
      this.dropText(path);
      return { ok: false, failure: 'missing', reason: 'no such file', size: null };
    }
    const cached = this.texts.get(path);
    if (
      cached &&
      cached.dev === st.dev &&
      cached.ino === st.ino &&
      cached.mtimeMs === st.mtimeMs &&
      cached.size === st.size &&
      cached.bytes <= maxBytes
    ) {
      if (this.texts.size > 1) {
        this.texts.delete(path);
        this.texts.set(path, cached);
      }
      return { ok: true, text: cached.text, bytes: cached.bytes };
    }
    const r = readRegularFile(path, Math.min(maxBytes, MAX_FILE_BYTES));
    if (!r.ok) {
      this.dropText(path);
      return { ok: false, failure: r.failure, reason: r.reason, size: st.isFile() ? st.size : null };
    }
    const text = hardeningService.decodeBytes(r.bytes);
    this.keepText(path, { dev: st.dev, ino: st.ino, mtimeMs: st.mtimeMs, size: st.size, text, bytes: r.bytes.length });
    return { ok: true, text, bytes: r.bytes.length };
  }

  /** Text of a file, or null when it does not exist or cannot be read. */
  readText(path: string): string | null {
    const r = this.read(path);
    return r.ok ? r.text : null;
  }

  /** Names in a folder (empty when it does not exist). */
  list(dir: string): string[] {
    const st = statPath(dir);
    if (!st) {
      this.dirs.delete(dir);
      return [];
    }
    if (!st.isDirectory()) return [];
    const cached = this.dirs.get(dir);
    if (cached && cached.mtimeMs === st.mtimeMs) return cached.names;
    try {
      const names = readdirSync(dir).sort();
      this.dirs.delete(dir);
      if (this.dirs.size >= MAX_CACHED_DIRS) this.dirs.delete(this.dirs.keys().next().value!);
      this.dirs.set(dir, { mtimeMs: st.mtimeMs, names });
      return names;
    } catch {
      return [];
    }
  }

  /** stat() of a path, links followed; undefined when nothing is there. */
  stat(path: string): Stats | undefined {
    return statPath(path);
  }

  isFile(path: string): boolean {
    return statPath(path)?.isFile() ?? false;
  }

  forget(): void {
    this.texts.clear();
    this.cachedBytes = 0;
    this.dirs.clear();
  }
}
