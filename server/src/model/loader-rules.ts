/**
 * What the loader of each release refuses and how it treats user units, read from the data
 * (server/data/assessors.json `versions[V].refuses` and `.userScope`; the commits are in its header's
 * `fields` and in docs/handover/scope-refusals.md), never from version numbers in code.
 */
import data from '../../data/assessors.json';

export interface LoaderRules {
  /** 239: a service with no ExecStart=/ExecStop= but SuccessAction= is refused (allowed from 240 by 3f00d379fa). */
  successActionOnlyService: boolean;
  /**
   * 239–246: a command given by bare name is looked up in DEFAULT_PATH when the unit is loaded, and the
   * unit refused when it is not there (from 247 the lookup happens at execution, 9f71ba8d95).
   */
  bareNameNotInDefaultPath: boolean;
  /** 256+: DynamicUser= in a user unit is refused (52d8ba71b6, unit_verify_contexts()). */
  dynamicUserInUserUnit: boolean;
  /**
   * 253+: in a user unit, a SuccessAction= only the system manager can take (poweroff, reboot, …) is
   * ignored; before, the user manager took it as exit-force (2ae6917a1a removed that fallback).
   */
  userUnitSystemActionIgnored: boolean;
  /** 239–243: a Type=oneshot service with any Restart= but no is refused (10e72727ee, 244, allowed on-failure etc.). */
  oneshotRestartNotNo: boolean;
  /**
   * How the analyser treats a user unit: 'as-system' (up to 261: as if it ran as root) or
   * 'calling-user' (262, systemd PR #42743: as the calling user).
   */
  userScope: 'as-system' | 'calling-user';
  /** How the loader reads SystemCallFilter= (assessors.json `parse`). */
  parse: ParseRules;
}

export interface ParseRules {
  /**
   * 239: a word that gives a call already in the filter another errno fails the line (hashmap_put()
   * answers -EEXIST, reported as -ENOMEM); config_parse() stops there, so the unit file is refused and a
   * drop-in is read no further. 851ee70a3d (240) updates the errno instead.
   */
  syscallErrnoConflictFails: boolean;
  /** Up to 247: an allow-list word may carry `:errno` (the call is kept with it); 084a46d7c5 (248) ignores the word. */
  allowListWordTakesErrno: boolean;
  /** From 248 (68acc1afbe): `~name:errno` in allow-list mode keeps the call with the errno; before, it removes the call. */
  allowListInvertedErrnoKept: boolean;
}

interface VersionEntry {
  refuses: Omit<LoaderRules, 'userScope' | 'parse'>;
  userScope: LoaderRules['userScope'];
  parse: ParseRules;
}

const versions = (data as unknown as { versions: Record<string, VersionEntry> }).versions;
const known = Object.keys(versions)
  .map(Number)
  .sort((a, b) => a - b);
const cache = new Map<number, LoaderRules>();

/** The rules of a release; a number the data does not list takes the nearest listed release below it (or the oldest). */
export function loaderRules(version: number): LoaderRules {
  let r = cache.get(version);
  if (r) return r;
  let v = known[0]!;
  for (const k of known) if (k <= version) v = k;
  const e = versions[String(v)]!;
  r = Object.freeze({ ...e.refuses, userScope: e.userScope, parse: Object.freeze({ ...e.parse }) });
  cache.set(version, r);
  return r;
}

/** The emergency actions a user manager can take (parse_emergency_action(): up to _EMERGENCY_ACTION_LAST_USER_ACTION). */
const USER_ACTIONS: ReadonlySet<string> = new Set(['none', 'exit', 'exit-force']);

/**
 * SuccessAction= as the user manager keeps it, from the values assigned in order (`valid`: the word is
 * one the version knows): a system-only action is ignored (253+) or becomes exit-force (before).
 */
export function userSuccessAction(
  values: readonly string[],
  valid: (word: string) => boolean,
  version: number,
): string {
  let action = 'none';
  for (const v of values) {
    if (!valid(v)) continue;
    if (USER_ACTIONS.has(v)) action = v;
    else if (!loaderRules(version).userUnitSystemActionIgnored) action = 'exit-force';
  }
  return action;
}

/** DEFAULT_PATH of systemd 239–246 (src/basic/path-util.h, split /usr): where a bare command name is looked up. */
export const DEFAULT_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'] as const;
