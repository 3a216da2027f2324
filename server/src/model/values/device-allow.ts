/**
 * DeviceAllow= (config_parse_device_allow) and the entries unit_patch_contexts() adds.
 *
 * One entry per line: a device node path (`/dev/...`) or a class (`char-NAME`, `block-NAME`),
 * then optional rights made of `r`, `w`, `m` (none = all three). Entries are kept in the order
 * systemd keeps them: each new one goes to the front of the list (LIST_PREPEND), which is also the
 * order systemd-analyze prints them in. A bad line is skipped with a warning; empty clears.
 */
import type { Assignment } from '../unit-model';
import { pathIsNormalized, pathIsValid, pathSimplify } from './paths';
import { unitPrintf, PATH_PRINTF_MAX, type SpecifierContext } from './specifiers';
import { BAD_QUOTING, type Folded, ignoresLine, problemAt, problemOnValue } from './folded';
import { EXTRACT_UNQUOTE, extractFirstWord } from './words';

export interface DeviceAllowEntry {
  path: string;
  r: boolean;
  w: boolean;
  m: boolean;
}

/** `path:rwm` as systemd-analyze shows an entry. */
export function formatDeviceAllow(e: DeviceAllowEntry): string {
  return `${e.path}:${e.r ? 'r' : ''}${e.w ? 'w' : ''}${e.m ? 'm' : ''}`;
}

export function deviceAllowEntry(path: string, rights: string): DeviceAllowEntry {
  const all = rights === '';
  return { path, r: all || rights.includes('r'), w: all || rights.includes('w'), m: all || rights.includes('m') };
}

/** valid_device_node_path(): under /dev/ (or systemd's inaccessible nodes), not ending in `/`, normalized. */
function validDeviceNodePath(p: string): boolean {
  const under = (dir: string): boolean => p === dir || p.startsWith(dir + '/');
  if (!under('/dev') && !under('/run/systemd/inaccessible')) return false;
  if (p.endsWith('/')) return false;
  return pathIsNormalized(p);
}

/** The list, newest first (systemd's order). */
export function foldDeviceAllow(
  assignments: readonly Assignment[],
  ctx: SpecifierContext,
  from: DeviceAllowEntry[] = [],
): Folded<DeviceAllowEntry[]> {
  let list: DeviceAllowEntry[] = from;
  /** The entries of these lines since the last reset, oldest first (prepending each would copy the list per line). */
  let added: DeviceAllowEntry[] = [];
  const problems = [];
  for (const a of assignments) {
    if (a.value === '') {
      list = [];
      added = [];
      continue;
    }
    const first = extractFirstWord(a.value, 0, EXTRACT_UNQUOTE);
    if (first.kind !== 'word') {
      problems.push(problemOnValue(a, BAD_QUOTING + ignoresLine(a)));
      continue;
    }
    const { word } = first.word;
    const r = unitPrintf(word, ctx, PATH_PRINTF_MAX);
    if (!r.ok) {
      problems.push(problemAt(a, first.word.start, first.word.end, r.message + ignoresLine(a)));
      continue;
    }
    let path = r.value;
    if (!path.startsWith('block-') && !path.startsWith('char-')) {
      const simplified = pathSimplify(path);
      if (!pathIsValid(simplified) || !pathIsNormalized(simplified)) {
        problems.push(
          problemAt(a, first.word.start, first.word.end, `'${path}' is not a valid normalized path${ignoresLine(a)}`),
        );
        continue;
      }
      path = simplified;
      if (!validDeviceNodePath(path)) {
        problems.push(
          problemAt(
            a,
            first.word.start,
            first.word.end,
            `'${path}' is neither a device node under /dev/ nor block-NAME or char-NAME${ignoresLine(a)}`,
          ),
        );
        continue;
      }
    }
    const restStart = first.next ?? a.value.length;
    const rights = a.value.slice(restStart);
    if (rights !== '' && !/^[rwm]*$/.test(rights)) {
      problems.push(
        problemAt(
          a,
          restStart,
          a.value.length,
          `Device rights are letters out of r, w and m, not '${rights}'${ignoresLine(a)}`,
        ),
      );
      continue;
    }
    added.push(deviceAllowEntry(path, rights));
  }
  return { value: added.length ? [...added.reverse(), ...list] : list, problems };
}
