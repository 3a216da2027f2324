/**
 * RestrictAddressFamilies= (config_parse_address_families; parse_address_families() from 258).
 *
 * The first list fixes the mode: a plain list is an allow-list, `~list` a deny-list. Later lines
 * add families (same polarity) or take them out (other polarity). `none` (since 249) empties the
 * list and makes it an allow-list (nothing allowed). Empty resets to "no restriction". Family names
 * are matched case-insensitively. An unknown name is skipped with a warning; from 258 it also ends
 * the line (words after it are not read).
 */
import type { Assignment } from '../unit-model';
import { BAD_QUOTING, type Folded, problemAt, targetVersion } from './folded';
import { ADDRESS_FAMILY_SPECIAL_VALUES } from '../../knowledge/vocabulary';
import { addressFamilyNumber } from './name-lookups';

/** The first release that reads `none` as "no family" (before it, `none` is an unknown family name). */
const NONE_SINCE = ADDRESS_FAMILY_SPECIAL_VALUES.find((s) => s.name === 'none')?.since ?? Infinity;
import { EXTRACT_UNQUOTE, splitWords, stripInversion } from './words';

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;
export const AF_PACKET = 17;

export interface AddressFamilies {
  /** True for an allow-list (also after `none`), false for a deny-list or no restriction. */
  allowList: boolean;
  /** The listed families (numbers), or null when there is no list (unset, reset, or `none`). */
  families: Set<number> | null;
}

export function foldAddressFamilies(
  assignments: readonly Assignment[],
  version: number,
  from?: AddressFamilies,
): Folded<AddressFamilies> {
  const stopOnUnknown = targetVersion(version) >= 262;
  let allowList = from ? from.allowList : false;
  let families: Set<number> | null = from?.families ? new Set(from.families) : null;
  const problems = [];
  for (const a of assignments) {
    if (a.value === '') {
      families = null;
      allowList = false;
      continue;
    }
    if (a.value === 'none' && version >= NONE_SINCE) {
      families = null;
      allowList = true;
      continue;
    }
    const { text, invert, offset } = stripInversion(a.value);
    if (families === null) {
      families = new Set();
      allowList = !invert;
    }
    const split = splitWords(text, EXTRACT_UNQUOTE);
    let stopped = false;
    for (const w of split.words) {
      const af = addressFamilyNumber(w.word, version);
      if (af === undefined) {
        problems.push(
          problemAt(
            a,
            offset + w.start,
            offset + w.end,
            `'${w.word}' is not an address family name (such as AF_UNIX or AF_INET6); systemd skips it` +
              (stopOnUnknown ? ' and the rest of the line' : ''),
          ),
        );
        if (stopOnUnknown) {
          stopped = true;
          break;
        }
        continue;
      }
      if (invert !== allowList) families.add(af);
      else families.delete(af);
    }
    if (split.error && !stopped)
      problems.push(
        problemAt(
          a,
          offset + split.error.start,
          a.value.length,
          `${BAD_QUOTING}; systemd ignores the rest of the line`,
        ),
      );
  }
  return { value: { allowList, families }, problems };
}
