/**
 * CapabilityBoundingSet= and AmbientCapabilities= (config_parse_capability_set), as 64-bit masks.
 *
 * Each line is a list of capability names or numbers, optionally after `~` (invert). The line's
 * set replaces the current one when it is empty or when the current one is still the initial value;
 * otherwise it is merged in (added, or with `~` removed). The initial value is "all" for the
 * bounding set and "none" for ambient capabilities. Version details:
 *   252      initial/"untouched" = all 64 bits; `~X` = all 64 bits minus X; numbers 0..63;
 *            a quoting error ends the line silently with the words read so far.
 *   254-257  the bounding set starts "unset" (all 64 bits, shown as all); same arithmetic;
 *            numbers 0..62; quoting errors cannot happen (EXTRACT_RELAX).
 *   258+     `~X` = the kernel's capabilities (0..cap_last_cap, host dependent: 40 assumed) minus X;
 *            an empty line sets the empty set; a parse error ignores the whole line.
 * Unknown names are skipped without a warning in every version (debug log only); they are reported
 * here anyway, because the author surely meant something.
 */
import type { Assignment } from '../unit-model';
import { safeAtoi } from './numbers';
import { BAD_QUOTING, type Folded, problemAt, targetVersion } from './folded';
import { capabilityNumber } from './name-lookups';
import { EXTRACT_RELAX, EXTRACT_UNQUOTE, splitWords, stripInversion } from './words';

export const ALL64 = (1n << 64n) - 1n;
/** cap_last_cap of the machine the 258+ inversion reads; CAP_CHECKPOINT_RESTORE (40) on current kernels. */
export const CAP_LAST_CAP = 40;
export const KERNEL_CAPS = (1n << BigInt(CAP_LAST_CAP + 1)) - 1n;

export type CapabilitySetting = 'CapabilityBoundingSet' | 'AmbientCapabilities';

const fromName = new Map<number, Map<string, number | undefined>>();

/** capability_from_name(): a number (C rules: 0x.., 0.., sign) in range, or a known name. */
export function capabilityFromName(word: string, version: number): number | undefined {
  const v = targetVersion(version);
  let cache = fromName.get(v);
  if (!cache) fromName.set(v, (cache = new Map()));
  if (cache.has(word)) return cache.get(word);
  const r = parseCapability(word, v);
  if (cache.size > 4096) cache.clear();
  cache.set(word, r);
  return r;
}

function parseCapability(word: string, version: number): number | undefined {
  const n = safeAtoi(word);
  if (n !== null) {
    const limit = targetVersion(version) >= 254 ? 62 : 63;
    return n >= 0 && n <= limit ? n : undefined;
  }
  return capabilityNumber(word, version);
}

export function initialCapabilities(setting: CapabilitySetting): bigint {
  return setting === 'CapabilityBoundingSet' ? ALL64 : 0n;
}

/**
 * `state` is the mask before the final 258+ adjustment (all bits → none): pass it as `from` to
 * continue folding with more assignments.
 */
export function foldCapabilities(
  assignments: readonly Assignment[],
  setting: CapabilitySetting,
  version: number,
  from?: bigint,
): Folded<bigint> & { state: bigint } {
  const v = targetVersion(version);
  const problems = [];
  const initial = initialCapabilities(setting);
  // The value that counts as "not yet set" for the replace-or-merge decision.
  const untouched = setting === 'CapabilityBoundingSet' ? (v >= 262 ? ALL64 >> 1n : ALL64) : 0n;
  let cur = from ?? (v >= 262 && setting === 'CapabilityBoundingSet' ? ALL64 >> 1n : initial);

  for (const a of assignments) {
    if (v >= 262 && a.value === '') {
      cur = 0n;
      continue;
    }
    const { text, invert, offset } = stripInversion(a.value);
    const split = splitWords(text, v >= 254 ? EXTRACT_UNQUOTE | EXTRACT_RELAX : EXTRACT_UNQUOTE);
    if (split.error && v >= 262) {
      problems.push(
        problemAt(
          a,
          offset + split.error.start,
          a.value.length,
          `${BAD_QUOTING}; systemd ignores this ${setting}= line`,
        ),
      );
      continue;
    }
    let sum = 0n;
    for (const w of split.words) {
      const n = capabilityFromName(w.word, v);
      if (n === undefined) {
        problems.push(
          problemAt(
            a,
            offset + w.start,
            offset + w.end,
            `'${w.word}' is not a capability name (such as CAP_NET_ADMIN); systemd skips it without a warning`,
          ),
        );
        continue;
      }
      sum |= 1n << BigInt(n);
    }
    if (split.error) {
      problems.push(
        problemAt(
          a,
          offset + split.error.start,
          a.value.length,
          `${BAD_QUOTING}: systemd silently stops reading ${setting}= here`,
        ),
      );
    }
    if (sum === 0n || cur === untouched) {
      cur = invert ? (v >= 262 ? KERNEL_CAPS & ~sum : ALL64 & ~sum) : sum;
    } else if (invert) cur &= ~sum;
    else cur |= sum;
  }
  return { value: v >= 262 && cur === ALL64 ? 0n : cur, problems, state: cur };
}

/** True when any bit of `mask` is in `set`. */
export function hasAny(set: bigint, mask: bigint): boolean {
  return (set & mask) !== 0n;
}
