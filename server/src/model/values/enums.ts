/**
 * Settings that take one word out of a fixed table (DEFINE_CONFIG_PARSE_ENUM and friends in
 * src/core/load-fragment.c). Table lookups are case-sensitive; tables built "with boolean"
 * (DEFINE_STRING_TABLE_LOOKUP_WITH_BOOLEAN) first try parse_boolean(), so `Yes`/`off` work there.
 * A value that is not in the table is logged and the assignment ignored.
 */
import type { Assignment } from '../unit-model';
import { notBoolean, parseBoolean } from './booleans';
import { type Folded, ignoresLine, orList, problemAt, problemOnValue, shown, targetVersion } from './folded';
import { unitPrintf, type SpecifierContext } from './specifiers';

export interface EnumTable {
  /** The words, in systemd's enum order (index 0 is the "off" value where there is one). */
  words: readonly string[];
  /** For tables with boolean: the word `yes`/`true`/... maps to. `no`/`false` maps to words[0]. */
  booleanTrue?: string;
  /** What an empty assignment does: 'error' (logged, ignored) or the word it resets to. */
  empty: 'error' | string;
  /** Unused: messages are built from the key and `words` (see acceptedWords()). */
  message?: string;
  /** The default before any assignment. */
  initial: string;
}

export function enumFromString(table: EnumTable, s: string): string | undefined {
  if (table.booleanTrue !== undefined) {
    const b = parseBoolean(s);
    if (b === false) return table.words[0];
    if (b === true) return table.booleanTrue;
  }
  return table.words.includes(s) ? s : undefined;
}

/** `initial`: the value to start from (the table's default, or the value folded so far). */
export function foldEnum(
  assignments: readonly Assignment[],
  table: EnumTable,
  initial: string = table.initial,
): Folded<string> {
  let value = initial;
  const problems = [];
  for (const a of assignments) {
    if (a.value === '' && table.empty !== 'error') {
      value = table.empty;
      continue;
    }
    const w = enumFromString(table, a.value);
    if (w === undefined) {
      problems.push(
        problemOnValue(a, `${a.key}= takes ${orList(acceptedWords(table))}; systemd ignores ${shown(a.value)}`),
      );
      continue;
    }
    value = w;
  }
  return { value, problems };
}

/** The words to name in a message: yes and no first for tables with boolean. */
export function acceptedWords(table: EnumTable): readonly string[] {
  return table.booleanTrue !== undefined
    ? ['yes', 'no', ...table.words.filter((w) => w !== 'yes' && w !== 'no')]
    : table.words;
}

const v257 = (version: number): boolean => targetVersion(version) >= 257;

export function protectSystemTable(): EnumTable {
  return { words: ['no', 'yes', 'full', 'strict'], booleanTrue: 'yes', empty: 'error', initial: 'no' };
}

export function protectHomeTable(): EnumTable {
  return { words: ['no', 'yes', 'read-only', 'tmpfs'], booleanTrue: 'yes', empty: 'error', initial: 'no' };
}

export function protectProcTable(): EnumTable {
  return { words: ['default', 'noaccess', 'invisible', 'ptraceable'], empty: 'error', initial: 'default' };
}

export function procSubsetTable(): EnumTable {
  return { words: ['all', 'pid'], empty: 'error', initial: 'all' };
}

/**
 * KeyringMode=: for the system manager, unit_init() starts every unit at `shared` and
 * service_init() moves services to `private`.
 */
export function keyringModeTable(unitType: string | null = 'service'): EnumTable {
  const initial = unitType === 'service' || unitType === null ? 'private' : 'shared';
  return { words: ['inherit', 'private', 'shared'], empty: 'error', initial };
}

export function notifyAccessTable(): EnumTable {
  return { words: ['none', 'main', 'exec', 'all'], empty: 'error', initial: 'none' };
}

export function devicePolicyTable(): EnumTable {
  return { words: ['auto', 'closed', 'strict'], empty: 'error', initial: 'auto' };
}

/** PrivateTmp=: a boolean up to 256, the enum no/connected/disconnected from 257. */
export function privateTmpTable(version: number): EnumTable | null {
  return v257(version)
    ? { words: ['no', 'connected', 'disconnected'], booleanTrue: 'connected', empty: 'error', initial: 'no' }
    : null;
}

/** ProtectControlGroups=: a boolean up to 256, no/yes/private/strict from 257. */
export function protectControlGroupsTable(version: number): EnumTable | null {
  return v257(version)
    ? { words: ['no', 'yes', 'private', 'strict'], booleanTrue: 'yes', empty: 'error', initial: 'no' }
    : null;
}

/** PrivateUsers=: a boolean up to 256; no/self/identity in 257; + full (258), managed (260). */
export function privateUsersTable(version: number): EnumTable | null {
  const v = targetVersion(version);
  if (v < 257) return null;
  const words = v >= 262 ? ['no', 'self', 'identity', 'full', 'managed'] : ['no', 'self', 'identity'];
  return { words, booleanTrue: 'self', empty: 'error', initial: 'no' };
}

export interface ProtectHostname {
  mode: string;
  hostname: string | null;
}

/**
 * ProtectHostname=: a boolean up to 257; from 258 no/yes/private, optionally `MODE:HOSTNAME`
 * (specifiers expanded in the hostname), and the empty value resets to `no`.
 */
export function foldProtectHostname(
  assignments: readonly Assignment[],
  ctx: SpecifierContext,
  from?: ProtectHostname,
): Folded<ProtectHostname> {
  const problems = [];
  if (targetVersion(ctx.version) < 262) {
    let value = from ? from.mode === 'yes' : false;
    for (const a of assignments) {
      const b = parseBoolean(a.value);
      if (b === undefined) problems.push(problemOnValue(a, notBoolean(a.key, a.value)));
      else value = b;
    }
    return { value: { mode: value ? 'yes' : 'no', hostname: null }, problems };
  }
  const table: EnumTable = { words: ['no', 'yes', 'private'], booleanTrue: 'yes', empty: 'no', initial: 'no' };
  let value: ProtectHostname = from ?? { mode: 'no', hostname: null };
  for (const a of assignments) {
    if (a.value === '') {
      value = { mode: 'no', hostname: null };
      continue;
    }
    const colon = a.value.indexOf(':');
    let hostname: string | null = null;
    if (colon >= 0) {
      const r = unitPrintf(a.value.slice(colon + 1), ctx, 64);
      if (!r.ok) {
        problems.push(problemAt(a, colon + 1, a.value.length, r.message + ignoresLine(a)));
        continue;
      }
      if (!hostnameIsValid(r.value)) {
        problems.push(
          problemAt(
            a,
            colon + 1,
            a.value.length,
            `'${r.value}' is not a valid hostname (letters, digits, '-' and '.', up to 64 characters)${ignoresLine(a)}`,
          ),
        );
        continue;
      }
      hostname = r.value;
    }
    const word = colon >= 0 ? a.value.slice(0, colon) : a.value;
    const mode = enumFromString(table, word);
    if (mode === undefined || (mode === 'no' && hostname !== null)) {
      const what =
        mode === 'no'
          ? `${a.key}=${word} cannot name a hostname`
          : `${a.key}= takes yes, no or private, and yes or private may be followed by :HOSTNAME`;
      problems.push(problemOnValue(a, `${what}; systemd ignores ${shown(a.value)}`));
      continue;
    }
    value = { mode, hostname };
  }
  return { value, problems };
}

/** hostname_is_valid() without flags: dot-separated labels of [A-Za-z0-9-], at most 64 characters. */
export function hostnameIsValid(s: string): boolean {
  if (s.length === 0 || s.length > 64) return false;
  let dot = true;
  let hyphen = true;
  for (const c of s) {
    if (c === '.') {
      if (dot || hyphen) return false;
      dot = true;
      hyphen = false;
    } else if (c === '-') {
      if (dot) return false;
      dot = false;
      hyphen = true;
    } else if (/^[A-Za-z0-9]$/.test(c)) {
      dot = false;
      hyphen = false;
    } else return false;
  }
  return !(dot || hyphen);
}
