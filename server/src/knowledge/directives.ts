/**
 * Typed, read-only access to server/data/directives.json: which unit-file keys each systemd version
 * (239 … 262) accepts in which section, how their values are parsed, and what became of deprecated ones.
 * The JSON is generated from systemd's own parser tables by scripts/gen-directives.mjs; no I/O here.
 * All lookups are O(1): the maps by name are built once when the module loads, each version's lists of keys per
 * section the first time that version is asked for, the list of sections on first use.
 */
import data from '../../data/directives.json';

export type SystemdVersion = number; // 239..262

export type ValueKind =
  | 'boolean'
  | 'tristate'
  | 'enum'
  | 'string'
  | 'path'
  | 'path-list'
  | 'exec-command'
  | 'capability-list'
  | 'syscall-filter'
  | 'address-family-list'
  | 'namespace-list'
  | 'ip-address-list'
  | 'timespan'
  | 'calendar'
  | 'bytes'
  | 'percent'
  | 'integer'
  | 'mode'
  | 'user'
  | 'group-list'
  | 'environment'
  | 'unit'
  | 'unit-list'
  | 'device-allow'
  | 'device-limit'
  | 'cpu-set'
  | 'limit'
  | 'signal'
  | 'weight'
  | 'nice'
  | 'ioprio'
  | 'credential'
  | 'condition'
  | 'list-of-strings'
  | 'other';

/** How a version number was obtained for a release whose sources were not read (258–261). */
export type DateBasis = 'man' | 'news' | 'twin' | 'guess';

export interface SectionRange {
  /** First version that accepts the key in this section (the first supported version means "or earlier"). */
  readonly since: number;
  /** Last version that accepts it; null = still accepted by the newest version. */
  readonly until: number | null;
  readonly basis?: DateBasis;
  /**
   * Versions before `since` whose reference build also accepts the key through a downstream backport, while the
   * versions between lack it (239 = RHEL's v239-50 has RestrictSUIDSGID= of 242).
   */
  readonly alsoIn?: readonly number[];
  /** Compatibility spelling of the [Unit] key of the same name (e.g. StartLimitBurst= in [Service]). */
  readonly movedTo?: 'Unit';
  /** Set only where this section parses the key differently from the top level (Type= in [Mount]). */
  readonly parser?: string;
  readonly kind?: ValueKind;
  readonly list?: boolean;
}

export interface DirectiveValue {
  /** An accepted word; a trailing ':' marks a prefix form taking an argument (file:PATH). */
  readonly value: string;
  readonly since: number;
  readonly until?: number;
  readonly basis?: DateBasis;
  /** Earlier versions that also accept the word through a backport (see SectionRange.alsoIn). */
  readonly alsoIn?: readonly number[];
}

export interface Deprecation {
  readonly since: number;
  readonly how: 'ignored with a warning' | 'removed' | 'accepted with a warning' | 'still accepted';
  /** The key to use instead. */
  readonly replacement?: string;
  /** What to do instead where that is not a key (PermissionsStartOnly=: the + prefix). */
  readonly advice?: string;
  readonly basis?: DateBasis;
}

export interface DirectiveInfo {
  readonly name: string;
  readonly sections: Readonly<Record<string, SectionRange>>;
  /** C parser function of the newest version that has the key. */
  readonly parser: string;
  readonly kind: ValueKind;
  /** Repeated assignments accumulate (an empty one resets); false = the last one wins. */
  readonly list: boolean;
  readonly values?: readonly DirectiveValue[];
  readonly deprecated?: Deprecation;
  /** Undocumented old name of this documented key. */
  readonly aliasOf?: string;
  readonly description: string;
}

/** The parse of a key in one section: section-specific parser/kind/list where they differ. */
export interface SettingInfo {
  readonly directive: DirectiveInfo;
  readonly section: string;
  readonly range: SectionRange;
  readonly parser: string;
  readonly kind: ValueKind;
  readonly list: boolean;
  /** Accepted words (only for the sections that share the top-level parser). */
  readonly values: readonly DirectiveValue[];
}

export interface DirectivesSource {
  /** The systemd source files read. */
  readonly source: readonly string[];
  readonly generated: string;
  readonly command: string;
  readonly versions: readonly { readonly version: number; readonly ref: string; readonly from: string }[];
  readonly interpolated?: { readonly versions: readonly number[]; readonly how: string };
}

// The JSON import is typed structurally by TypeScript; the string unions above are what the schema guarantees
// (and test/unit/directives-data.test.ts checks), so the data is narrowed once here.
const DIRECTIVES = data.directives as unknown as readonly DirectiveInfo[];

/** Every version the data answers for, oldest first. */
export const VERSIONS: readonly number[] = data.versions;
export const OLDEST_VERSION: number = VERSIONS[0] ?? 0;
export const NEWEST_VERSION: number = VERSIONS[VERSIONS.length - 1] ?? 0;
/** Where the data comes from: the header of directives.json. */
export const SOURCE: DirectivesSource = data.header as unknown as DirectivesSource;

const byName = new Map<string, DirectiveInfo>();
const byLowerName = new Map<string, DirectiveInfo>();
/** version -> section -> directives accepted there, sorted by name; built per version on first use. */
const byVersionSection = new Map<number, Map<string, DirectiveInfo[]>>();

function inRange(r: SectionRange, version: number): boolean {
  return (r.since <= version && (r.until === null || version <= r.until)) || (r.alsoIn?.includes(version) ?? false);
}

function valueInRange(x: DirectiveValue, version: number): boolean {
  return (
    (x.since <= version && (x.until === undefined || version <= x.until)) || (x.alsoIn?.includes(version) ?? false)
  );
}

for (const d of DIRECTIVES) {
  byName.set(d.name, d);
  byLowerName.set(d.name.toLowerCase(), d);
}

/** The versions in which the key is accepted in that section; undefined if never. */
function rangeOf(section: string, name: string): SectionRange | undefined {
  const sections = byName.get(name)?.sections;
  return sections && Object.hasOwn(sections, section) ? sections[section] : undefined;
}

/** The keys one (clamped) version accepts, per section, sorted by name. */
function sectionsOf(version: number): Map<string, DirectiveInfo[]> {
  let perSection = byVersionSection.get(version);
  if (perSection) return perSection;
  perSection = new Map();
  for (const d of DIRECTIVES) {
    for (const [section, r] of Object.entries(d.sections)) {
      if (!inRange(r, version)) continue;
      const list = perSection.get(section);
      if (list) list.push(d);
      else perSection.set(section, [d]);
    }
  }
  for (const list of perSection.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  byVersionSection.set(version, perSection);
  return perSection;
}
const TABLE_ORDER = [
  'Unit',
  'Service',
  'Socket',
  'Mount',
  'Automount',
  'Swap',
  'Timer',
  'Path',
  'Slice',
  'Scope',
  'Install',
];
const rank = (s: string): number => {
  const i = TABLE_ORDER.indexOf(s);
  return i < 0 ? TABLE_ORDER.length : i;
};
let sectionList: readonly string[] | undefined;

/** Every section that some version accepts a key in, in table order; listed on first use. */
function sectionsWithKeys(): readonly string[] {
  if (sectionList) return sectionList;
  const found = new Set<string>();
  for (const d of DIRECTIVES)
    for (const [section, r] of Object.entries(d.sections))
      if (!found.has(section) && VERSIONS.some((v) => inRange(r, v))) found.add(section);
  sectionList = [...found].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  return sectionList;
}

/** Versions before the first supported one behave like it; newer ones like the newest we know. */
function clampVersion(version: number): number {
  if (!Number.isFinite(version)) return NEWEST_VERSION;
  const v = Math.trunc(version);
  return v < OLDEST_VERSION ? OLDEST_VERSION : v > NEWEST_VERSION ? NEWEST_VERSION : v;
}

/** The directive of that exact name (systemd keys are case-sensitive), in any version. */
export function directive(name: string): DirectiveInfo | undefined {
  return byName.get(name);
}

/** A directive whose name differs only in case (for "did you mean" hints); undefined if none. */
export function directiveIgnoringCase(name: string): DirectiveInfo | undefined {
  return byLowerName.get(name.toLowerCase());
}

/**
 * Whether that systemd version's parser accepts the key in that section, i.e. does not log "Unknown key".
 * Keys that are accepted but ignored (config_parse_warn_compat) count as known.
 */
export function isKnown(section: string, name: string, version: SystemdVersion): boolean {
  const r = rangeOf(section, name);
  return r !== undefined && inRange(r, clampVersion(version));
}

/** The sections in which that version accepts the key (in systemd's table order: Unit, Service, …). */
export function sectionsFor(name: string, version: SystemdVersion): string[] {
  const d = byName.get(name);
  if (!d) return [];
  const v = clampVersion(version);
  return Object.entries(d.sections)
    .filter(([, r]) => inRange(r, v))
    .map(([s]) => s);
}

/** Every key that version accepts in the section, sorted by name (for completion). */
export function directivesIn(section: string, version: SystemdVersion): DirectiveInfo[] {
  return [...(sectionsOf(clampVersion(version)).get(section) ?? [])];
}

/** Every directive name in any section and version, sorted. */
export function allDirectiveNames(): string[] {
  return DIRECTIVES.map((d) => d.name).sort();
}

/** Every section name that has keys, in systemd's table order ([Install] last). */
export function allSections(): string[] {
  return [...sectionsWithKeys()];
}

/** The key as parsed in one section, with section-specific parser/kind where they differ; undefined if never valid there. */
export function setting(section: string, name: string): SettingInfo | undefined {
  const d = byName.get(name);
  const range = d?.sections[section];
  if (!d || !range) return undefined;
  const own = range.kind !== undefined;
  return {
    directive: d,
    section,
    range,
    parser: range.parser ?? d.parser,
    kind: range.kind ?? d.kind,
    list: range.list ?? d.list,
    values: own ? [] : (d.values ?? []),
  };
}

/** The words the key accepts in that version (empty when it takes free-form values). */
export function valuesIn(name: string, version: SystemdVersion): DirectiveValue[] {
  const v = clampVersion(version);
  return (byName.get(name)?.values ?? []).filter((x) => valueInRange(x, v));
}

/** Why a version lacks a key or a word: the first later version that has it, or the last earlier one. */
export interface Unavailable {
  /** The key, or the key with the word (`PrivateTmp=disconnected`). */
  readonly what: string;
  /** The first version after the target that has it; undefined when none does. */
  readonly since?: number;
  /** The last version before the target that had it, when no later one has it. */
  readonly until?: number;
}

/** The first version after `v` that has something, else the last one before it (for an Unavailable). */
export function nearest(has: (v: number) => boolean, v: number): { since?: number; until?: number } {
  for (const x of VERSIONS) if (x > v && has(x)) return { since: x };
  for (const x of [...VERSIONS].reverse()) if (x < v && has(x)) return { until: x };
  return {};
}

/**
 * Why that version does not accept the key in that section while some other version does; undefined when it
 * accepts it or when no version knows the key there (then it is simply unknown: a typo or another section).
 */
export function keyUnavailable(section: string, name: string, version: SystemdVersion): Unavailable | undefined {
  const r = rangeOf(section, name);
  const v = clampVersion(version);
  if (!r || inRange(r, v)) return undefined;
  return { what: `${name}=`, ...nearest((x) => inRange(r, x), v) };
}

/** The listed word a value is: the word itself, or the prefix form it starts with (`file:` of `file:/x`). */
function listedWord(d: DirectiveInfo, value: string): DirectiveValue[] {
  const w = value.trim();
  return (d.values ?? []).filter((x) => (x.value.endsWith(':') ? w.startsWith(x.value) : w === x.value));
}

/**
 * Why that version does not accept a value that other versions accept as one of the key's words (whole value, or
 * a prefix form such as `truncate:PATH`); undefined when the version accepts it, or when it is not such a word.
 */
export function valueUnavailable(name: string, value: string, version: SystemdVersion): Unavailable | undefined {
  const d = byName.get(name);
  if (!d) return undefined;
  const words = listedWord(d, value);
  const v = clampVersion(version);
  if (words.length === 0 || words.some((x) => valueInRange(x, v))) return undefined;
  const has = (x: number): boolean => words.some((w) => valueInRange(w, x));
  return { what: `${name}=${words[0]!.value}`, ...nearest(has, v) };
}
