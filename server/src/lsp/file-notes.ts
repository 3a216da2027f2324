/**
 * What the server tells the user about the files of a unit it read from disk, as diagnostics on the
 * open document: a file systemd would use but this tool did not read (too large, not a regular
 * file, a kernel file, over the unit's byte budget), and a merged file that really lives elsewhere
 * (a drop-in, or its folder, is a link: its settings come from the link's target).
 *
 * What systemd does, from its source (src/basic/dirent-util.c, dirent_is_file_with_suffix(), used
 * by conf_files_list() when it lists a drop-in folder): an entry is taken when it is a regular file
 * or a symbolic link (or of unknown type), its name does not start with '.' and ends in ".conf".
 * A FIFO, socket or device that sits in the folder itself is skipped; one reached through a link is
 * listed, and systemd opens it.
 */
import { formatBytes, MAX_FILE_BYTES, MAX_UNIT_BYTES } from '../io/read-file';
import type { Diagnostic } from '../service';
import type { DiskRead } from './disk';

export type FileNoteCode = 'file-not-read' | 'file-links-elsewhere';

export interface FileNote {
  code: FileNoteCode;
  message: string;
}

/** Why a file of the unit was not read, and what systemd would do with it. */
export function notReadNote(
  name: string,
  r: Extract<DiskRead, { ok: false }>,
  link: boolean,
  real: string | null,
): FileNote | null {
  const target = link && real ? ` links to ${real},` : ' is';
  let message: string;
  switch (r.failure) {
    case 'missing':
      return null; // a dangling link: there is nothing to read, for systemd either
    case 'too-large':
      message = `${name} was not read: ${r.size === null ? 'more than ' + formatBytes(MAX_FILE_BYTES) : formatBytes(r.size)}, over the ${formatBytes(MAX_FILE_BYTES)} this tool reads from one file; systemd would read it`;
      break;
    case 'pseudo-file':
      message = `${name}${target} a kernel file${link && real ? '' : ` (${real ?? 'in /proc, /sys or /dev'})`}, not a unit file: not read; systemd would read it`;
      break;
    case 'not-regular': {
      const kind = r.reason.replace(/, not a regular file$/, '');
      message = link
        ? `${name}${target} ${kind}, not a regular file: not read; systemd lists the link and would open it`
        : `${name} is ${kind}, not a regular file: not read; systemd skips it too`;
      break;
    }
    case 'would-block':
      message = `${name} was not read: ${r.reason}; systemd would read it`;
      break;
    case 'unreadable':
      message = `${name} could not be read (${r.reason}); systemd, running as root, may read it`;
      break;
  }
  return { code: 'file-not-read', message };
}

/** A file left out because the unit's files read before it already hold the most this tool reads for one unit. */
export function overBudgetNote(name: string, readSoFar: number): FileNote {
  return {
    code: 'file-not-read',
    message: `${name} was not read: the unit's files read before it hold ${formatBytes(readSoFar)}, and this tool reads at most ${formatBytes(MAX_UNIT_BYTES)} for one unit; systemd would read it`,
  };
}

export function linkNote(name: string, real: string, what: string): FileNote {
  return { code: 'file-links-elsewhere', message: `${name} links to ${real}${what}` };
}

const SEVERITY: Record<FileNoteCode, Diagnostic['severity']> = {
  'file-not-read': 'warning',
  'file-links-elsewhere': 'information',
};

/** The notes as diagnostics on the first line of the open document. */
export function noteDiagnostics(notes: readonly FileNote[], file: string, text: string): Diagnostic[] {
  if (notes.length === 0) return [];
  const eol = text.search(/[\r\n]/);
  const span = { start: 0, end: eol < 0 ? Math.min(text.length, 200) : Math.min(eol, 200) };
  return notes.map((n) => ({ code: n.code, severity: SEVERITY[n.code], message: n.message, file, span }));
}
