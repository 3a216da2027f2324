/**
 * RestrictNamespaces= (config_parse_restrict_namespaces; config_parse_namespace_flags from 258).
 *
 * The stored value is the set of namespace types the unit may still create (clone flags).
 * `yes` allows none, `no` allows all, a list allows just those, `~list` all but those. The first
 * list (while the value is still the initial "everything, untouched") sets the value; later lists
 * add (or with `~` remove) their types. A boolean always replaces. Empty resets to the initial
 * value. One unknown type makes systemd ignore the whole line.
 */
import type { Assignment } from '../unit-model';
import { ALL64 } from './capabilities';
import { BAD_QUOTING, type Folded, ignoresLine, problemAt, problemOnValue, targetVersion } from './folded';
import { namespaceFlag, namespaceNames } from './name-lookups';
import { splitWords, stripInversion } from './words';

export const CLONE_NEWNS = 0x00020000n;
export const CLONE_NEWCGROUP = 0x02000000n;
export const CLONE_NEWUTS = 0x04000000n;
export const CLONE_NEWIPC = 0x08000000n;
export const CLONE_NEWUSER = 0x10000000n;
export const CLONE_NEWPID = 0x20000000n;
export const CLONE_NEWNET = 0x40000000n;
export const CLONE_NEWTIME = 0x00000080n;

/** NAMESPACE_FLAGS_INITIAL (ULONG_MAX): nothing configured, everything allowed. */
export const NAMESPACE_FLAGS_INITIAL = ALL64;

export function namespaceFlagsAll(version: number): bigint {
  const base =
    CLONE_NEWCGROUP | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUSER | CLONE_NEWUTS;
  return targetVersion(version) >= 262 ? base | CLONE_NEWTIME : base;
}

export function foldRestrictNamespaces(
  assignments: readonly Assignment[],
  version: number,
  from: bigint = NAMESPACE_FLAGS_INITIAL,
): Folded<bigint> {
  const all = namespaceFlagsAll(version);
  let cur = from;
  const problems = [];
  for (const a of assignments) {
    if (a.value === '') {
      cur = NAMESPACE_FLAGS_INITIAL;
      continue;
    }
    const v = a.value.toLowerCase();
    if (['1', 'yes', 'y', 'true', 't', 'on'].includes(v)) {
      cur = 0n;
      continue;
    }
    if (['0', 'no', 'n', 'false', 'f', 'off'].includes(v)) {
      cur = all;
      continue;
    }
    const { text, invert, offset } = stripInversion(a.value);
    const split = splitWords(text, 0);
    let flags = 0n;
    let bad: { start: number; end: number; word: string } | null = null;
    for (const w of split.words) {
      const f = namespaceFlag(w.word, version);
      if (f === undefined) {
        bad = { start: offset + w.start, end: offset + w.end, word: w.word };
        break;
      }
      flags |= BigInt(f);
    }
    if (bad) {
      problems.push(
        problemAt(
          a,
          bad.start,
          bad.end,
          `'${bad.word}' is not a namespace type (${namespaceNames(version).join(', ')})${ignoresLine(a)}`,
        ),
      );
      continue;
    }
    if (split.error) {
      problems.push(problemOnValue(a, BAD_QUOTING + ignoresLine(a)));
      continue;
    }
    if (cur === NAMESPACE_FLAGS_INITIAL) cur = invert ? ~flags & all : flags;
    else if (invert) cur &= ~flags;
    else cur |= flags;
  }
  return { value: cur, problems };
}
