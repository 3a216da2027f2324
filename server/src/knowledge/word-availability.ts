/**
 * Which version has a word inside a list value, for the vocabularies that change between releases: system-call
 * groups (`@known` from 247, 95aac01259), the `:kill` action of SystemCallFilter= and SystemCallErrorNumber=kill
 * (247, 005bfaf118), errno names, namespace types (`time` from 252, c3b9c418c0), address families and
 * capabilities, and the words of a list key's own table (Delegate= controllers: cpuset is in v239-50 and from 244
 * on). Whole-value words of a key (`RestrictAddressFamilies=none`, `SuccessAction=exit`) are directives.ts's
 * valueUnavailable(); this answers for one word of a list.
 */
import { directive, isKnown, keyUnavailable, nearest, type Unavailable, valueUnavailable } from './directives';
import {
  addressFamily,
  capability,
  ERRNO_SPECIAL_VALUES,
  errnoName,
  isSyscallGroup,
  namespaceType,
  type TargetVersion,
} from './vocabulary';
import { targetVersion } from './versions';

type Has = (word: string, version: TargetVersion) => boolean;

const special = (name: string): number => ERRNO_SPECIAL_VALUES.find((s) => s.name === name)?.since ?? Infinity;

/** An errno as SystemCallErrorNumber= and the `:ERRNO` suffix take it: a name, or a special word (kill). */
const errnoWord: Has = (w, v) => (errnoName(w, v) !== undefined ? true : special(w) <= v);

/** One word of a system-call filter: `@group` or a call name, optionally `:ERRNO`; only the versioned parts count. */
function filterWordParts(word: string): { what: string; has: Has }[] {
  const colon = word.indexOf(':');
  const name = colon >= 0 ? word.slice(0, colon) : word;
  const out: { what: string; has: Has }[] = [];
  if (name.startsWith('@')) out.push({ what: name, has: (_, v) => isSyscallGroup(v, name) });
  if (colon >= 0) {
    const e = word.slice(colon + 1);
    // a number is no name: every version takes it alike
    if (!/^\d+$/.test(e)) out.push({ what: `:${e}`, has: (_, v) => errnoWord(e, v) });
  }
  return out;
}

const LIST_WORDS: Readonly<Record<string, Has>> = {
  RestrictNamespaces: (w, v) => namespaceType(w, v) !== undefined,
  RestrictAddressFamilies: (w, v) => addressFamily(w, v) !== undefined,
  CapabilityBoundingSet: (w, v) => capability(w, v) !== undefined,
  AmbientCapabilities: (w, v) => capability(w, v) !== undefined,
  SystemCallErrorNumber: errnoWord,
};

const FILTERS: ReadonlySet<string> = new Set(['SystemCallFilter', 'SystemCallLog']);

/**
 * Why that version does not take one word of a list value (`@known` of `SystemCallFilter=~@known @mount`) that
 * another version takes: `what` is `'@known' in SystemCallFilter=`. Undefined when the version takes it, when
 * no version does (a typo), or when the key has no versioned vocabulary.
 */
export function wordUnavailable(key: string, word: string, version: number): Unavailable | undefined {
  const v = targetVersion(version);
  // a word of the key's own table inside a list (Delegate=cpu cpuset)
  const listed = directive(key)?.list ? valueUnavailable(key, word, v) : undefined;
  if (listed) return { ...listed, what: `'${word}' in ${key}=` };
  const parts = FILTERS.has(key)
    ? filterWordParts(word)
    : LIST_WORDS[key]
      ? [{ what: word, has: LIST_WORDS[key] }]
      : [];
  for (const p of parts) {
    if (p.has(word, v)) continue;
    const when = nearest((x) => p.has(word, x as TargetVersion), v);
    if (when.since === undefined && when.until === undefined) continue;
    return { what: `'${p.what}' in ${key}=`, ...when };
  }
  return undefined;
}

/**
 * Why that version does not take a `Key=value` line in that section: the key (keyUnavailable()), the whole value
 * (valueUnavailable()) or the first word of a list value that another version has (wordUnavailable()).
 * `{ what: 'Key=' }` alone for a key no version knows there. Undefined when the version takes the line.
 */
export function lineUnavailable(section: string, line: string, version: number): Unavailable | undefined {
  const eq = line.indexOf('=');
  const key = line.slice(0, Math.max(eq, 0)).trim();
  if (eq <= 0) return { what: line };
  if (!isKnown(section, key, version)) return keyUnavailable(section, key, version) ?? { what: `${key}=` };
  const value = line.slice(eq + 1).trim();
  const whole = valueUnavailable(key, value, version);
  if (whole) return whole;
  for (const word of value.replace(/^~/, '').split(/\s+/)) {
    const u = word ? wordUnavailable(key, word, version) : undefined;
    if (u) return u;
  }
  return undefined;
}

/**
 * Whether that version takes a `Key=value` line in that section without an "Unknown key", a rejected word or a
 * skipped word of a list that some other version knows. For the lines the product writes itself (suggestions,
 * profiles, the recommended drop-in, completion snippets).
 */
export function lineAvailable(section: string, line: string, version: number): boolean {
  return lineUnavailable(section, line, version) === undefined;
}
