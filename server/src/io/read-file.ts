/**
 * Reading a unit file or drop-in from a disk we do not trust, for the adapters (CLI and language
 * server). A path may name anything: a FIFO whose open or read blocks for ever, a device that never
 * ends (`/dev/zero`), a kernel file whose read waits for the next message (`/proc/kmsg`), a socket,
 * a sparse file of a gigabyte. Only regular files are read, never with a blocking call, and never
 * more than a fixed number of bytes; everything else is a reason the caller can show.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';

/** The most bytes read from one file. systemd refuses any line of 1 MiB or more; real units are a few KiB. */
export const MAX_FILE_BYTES = 4 << 20;
/** The most bytes read for one unit: its file and all its drop-ins together. */
export const MAX_UNIT_BYTES = 8 << 20;

export type ReadFailure =
  | 'missing' // nothing at the path (or a dangling link)
  | 'not-regular' // a folder, FIFO, socket or device
  | 'pseudo-file' // a file of /proc, /sys or /dev: its content is the kernel's, not a unit's
  | 'too-large' // over the byte limit
  | 'would-block' // the read would have waited
  | 'unreadable'; // any other error (permissions, I/O)

export type ReadResult = { ok: true; bytes: Buffer } | { ok: false; failure: ReadFailure; reason: string };

/** What kind of thing a stat() describes, for messages ("a FIFO"). */
export function describeKind(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** stat() that follows links and returns undefined instead of throwing. */
export function statPath(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

/** Whether a real (link-free) path lies in a kernel pseudo file system. */
export function isPseudoPath(real: string): boolean {
  return PSEUDO_ROOTS.some((r) => real === r || real.startsWith(`${r}/`));
}

function fail(failure: ReadFailure, reason: string): ReadResult {
  return { ok: false, failure, reason };
}

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? 'error';
}

/**
 * The bytes of a regular file, at most `maxBytes` of them. Links are followed (systemd follows
 * them too), but a link into /proc, /sys or /dev is refused, the file is opened non-blocking, and
 * its type is checked again on the open descriptor, so nothing can block or grow without bound.
 */
export function readRegularFile(path: string, maxBytes = MAX_FILE_BYTES): ReadResult {
  const st = statPath(path);
  if (!st) return fail('missing', 'no such file');
  if (!st.isFile()) return fail('not-regular', `${describeKind(st)}, not a regular file`);
  let real: string;
  try {
    real = realpathSync(path);
  } catch (e) {
    return fail('unreadable', errnoOf(e));
  }
  if (isPseudoPath(real)) return fail('pseudo-file', `a kernel file (${real}), not a unit file`);
  if (st.size > maxBytes) return fail('too-large', tooLarge(st.size, maxBytes));
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    return fail('unreadable', errnoOf(e));
  }
  try {
    const fst = fstatSync(fd);
    if (!fst.isFile()) return fail('not-regular', `${describeKind(fst)}, not a regular file`);
    const chunks: Buffer[] = [];
    let total = 0;
    // The first read asks for the size fstat() gave plus one byte (to see the end), so a small
    // file costs a small buffer; later reads, for a file that grew or lied about its size, take 64 KiB.
    let first = Math.min(fst.size + 1, 1 << 16);
    for (;;) {
      const want = Math.min(first || 1 << 16, maxBytes + 1 - total);
      first = 0;
      const buf = Buffer.allocUnsafe(want);
      let n: number;
      try {
        n = readSync(fd, buf, 0, want, null);
      } catch (e) {
        const code = errnoOf(e);
        return code === 'EAGAIN' || code === 'EWOULDBLOCK'
          ? fail('would-block', 'reading it would block')
          : fail('unreadable', code);
      }
      if (n === 0) break;
      chunks.push(n === want ? buf : buf.subarray(0, n));
      total += n;
      if (total > maxBytes) return fail('too-large', tooLarge(null, maxBytes));
    }
    return { ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
  } finally {
    closeSync(fd);
  }
}

/** `size` null: the file said it was smaller than it turned out (a /proc-like or growing file). */
function tooLarge(size: number | null, max: number): string {
  return `${size === null ? 'more than ' + formatBytes(max) : formatBytes(size)}: over the ${formatBytes(max)} this tool reads from one file`;
}

export function formatBytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(n % (1 << 20) ? 1 : 0)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(n % (1 << 10) ? 1 : 0)} KiB`;
  return `${n} bytes`;
}
