/**
 * Documentation for hover and completion, as markdown: directives (our one-line description from
 * directives.json, plus what the sandboxing ones protect against and can break, from
 * server/data/directive-docs.json), sections, and the value vocabularies (system-call groups,
 * capabilities, address families, namespace types, errno names, architectures).
 *
 * Everything here is static per (name, section, version) and memoized; exposure numbers, which
 * depend on the unit, are rendered by `exposureMarkdown()` from a score result.
 */
import docsJson from '../../data/directive-docs.json';
import type { CheckResult, ScoreResult } from '../exposure';
import { assessorsFor } from '../exposure/assessors';
import {
  type DirectiveInfo,
  directive,
  OLDEST_VERSION,
  sectionsFor,
  setting,
  type ValueKind,
  valuesIn,
} from '../knowledge/directives';
import {
  type AddressFamily,
  type Capability,
  type ErrnoName,
  expandSyscallGroup,
  isResolvableSyscall,
  type NamespaceType,
  type SyscallGroup,
  syscallGroups,
  type TargetVersion,
} from '../knowledge/vocabulary';
import { targetVersion } from '../model/values/types';

// ---------------------------------------------------------------------------------------------------------------
// The hand-written data

export interface DirectiveDoc {
  readonly protects?: string;
  readonly breaks?: string;
  /** json_fields of the checks the setting can change; a trailing `*` matches a prefix. */
  readonly checks?: readonly string[];
  /** The value completion inserts along with the name (may be ''). */
  readonly best?: string;
  readonly values?: Readonly<Record<string, string>>;
  readonly related?: readonly string[];
}

interface DocsFile {
  header: { source: string };
  sections: Record<string, string>;
  directives: Record<string, DirectiveDoc>;
  architectures: Record<string, string>;
  umask: Array<{ value: string; description: string }>;
}

const DOCS = docsJson as unknown as DocsFile;

export const DOCS_SOURCE: string = DOCS.header.source;

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Our extra documentation of a directive (sandboxing ones and a few enums), or undefined. */
export function directiveDoc(name: string): DirectiveDoc | undefined {
  return has(DOCS.directives, name) ? DOCS.directives[name] : undefined;
}

/** Every directive the docs file describes. */
export function documentedDirectives(): string[] {
  return Object.keys(DOCS.directives);
}

/** What a section is for, or undefined. */
export function sectionDoc(name: string): string | undefined {
  return has(DOCS.sections, name) ? DOCS.sections[name] : undefined;
}

export function architectureDoc(name: string): string | undefined {
  return has(DOCS.architectures, name) ? DOCS.architectures[name] : undefined;
}

export const UMASK_SUGGESTIONS: readonly { value: string; description: string }[] = DOCS.umask;

/** The meaning of one value word of a directive, from our docs (case-sensitive), or undefined. */
export function valueMeaning(name: string, value: string): string | undefined {
  const v = directiveDoc(name)?.values;
  return v && has(v, value) ? v[value] : undefined;
}

/** The check patterns of a directive (empty for directives no check reads). */
export function checkPatterns(name: string): readonly string[] {
  return directiveDoc(name)?.checks ?? [];
}

/** Whether some check of `systemd-analyze security` reads the directive (directly or through what systemd derives from it). */
export function isSandboxDirective(name: string): boolean {
  return checkPatterns(name).length > 0;
}

function matches(pattern: string, field: string): boolean {
  return pattern.endsWith('*') ? field.startsWith(pattern.slice(0, -1)) : field === pattern;
}

/** Whether a check (by json_field) belongs to the directive. */
export function directiveAffects(name: string, jsonField: string): boolean {
  return checkPatterns(name).some((p) => matches(p, jsonField));
}

// ---------------------------------------------------------------------------------------------------------------
// Small markdown helpers

/** Inline code that survives backticks inside. */
export function code(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** Escapes text for a markdown table cell. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Escapes markdown punctuation in plain text taken from data (names, descriptions). */
export function plain(s: string): string {
  return s.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

function memo<A extends unknown[]>(f: (...args: A) => string): (...args: A) => string {
  const cache = new Map<string, string>();
  return (...args: A) => {
    const k = JSON.stringify(args);
    let v = cache.get(k);
    if (v === undefined) {
      v = f(...args);
      if (cache.size > 5000) cache.clear();
      cache.set(k, v);
    }
    return v;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Directives

/** "systemd 245" or, for the oldest version the data knows, "systemd 239 or earlier". */
export function sinceText(since: number, basis?: string): string {
  const base = since <= OLDEST_VERSION ? `systemd ${OLDEST_VERSION} or earlier` : `systemd ${since}`;
  return basis && basis !== 'man' ? `${base} (from ${basis === 'news' ? 'the release notes' : basis === 'twin' ? 'its sibling setting' : 'an estimate'})` : base;
}

const KIND_TEXT: Partial<Record<ValueKind, string>> = {
  boolean: 'a boolean (`yes`/`no`, also `true`/`false`, `on`/`off`, `1`/`0`)',
  tristate: 'a boolean (`yes`/`no`); unset means systemd decides',
  string: 'a string',
  path: 'an absolute path',
  'path-list': 'a space-separated list of absolute paths (prefix `-` to ignore a missing one)',
  'exec-command': 'a command line, with optional prefixes such as `-`, `+`, `!` or `@`',
  'capability-list': 'capability names (`CAP_…`) separated by spaces; a leading `~` removes them instead of keeping them',
  'syscall-filter': 'system-call names and `@groups` separated by spaces; a leading `~` turns the list into a deny-list; `NAME:ERRNO` picks the error returned (deny-lists only)',
  'address-family-list': 'address families (`AF_…`) separated by spaces; a leading `~` denies instead of allowing; `none` denies all',
  'namespace-list': 'namespace types separated by spaces (a leading `~` forbids instead of allowing), or `yes`/`no`',
  'ip-address-list': 'IP addresses or prefixes (`10.0.0.0/8`), or `any`, `localhost`, `link-local`, `multicast`',
  timespan: 'a time span such as `30s`, `5min`, `1h 30min` or `infinity`',
  calendar: 'a calendar event such as `daily`, `Mon *-*-* 04:00` or `*:0/15`',
  bytes: 'a size in bytes with an optional K, M, G, T suffix (base 1024), or a percentage where allowed',
  percent: 'a percentage',
  integer: 'a number',
  mode: 'an octal file mode mask, such as `0077`',
  user: 'a user or group name, or a numeric ID',
  'group-list': 'group names separated by spaces',
  environment: '`NAME=value` assignments separated by spaces (quote values with spaces)',
  unit: 'a unit name',
  'unit-list': 'unit names separated by spaces',
  'device-allow': 'a device path or class (`/dev/null`, `char-rtc`, `block-loop`) followed by access rights made of `r`, `w` and `m`',
  'device-limit': 'a device path followed by a limit',
  'cpu-set': 'CPU indexes and ranges, such as `0-3 6`',
  limit: 'a resource limit (`soft:hard`, a single value, or `infinity`)',
  signal: 'a signal name or number, such as `SIGTERM`',
  weight: 'a weight, usually 1 to 10000',
  nice: 'a nice level from -20 (highest priority) to 19',
  ioprio: 'an I/O priority from 0 (highest) to 7',
  credential: '`ID:VALUE` or `ID:PATH` of a credential',
  condition: 'a condition argument; prefix `!` to negate it and `|` to make it a triggering condition',
  'list-of-strings': 'words separated by spaces',
};

/** What the directive accepts, for the target version. */
export function acceptsText(name: string, section: string | null, version: number): string {
  const d = directive(name);
  if (!d) return '';
  const s = section ? setting(section, name) : undefined;
  const kind = s?.kind ?? d.kind;
  const own = s !== undefined && s.values.length === 0 && d.values !== undefined && d.values.length > 0 && s.parser !== d.parser;
  const words = own ? [] : valuesIn(name, version).map((v) => v.value);
  const v = targetVersion(version);
  if (sectionsFor(name, v).length === 0) return `nothing: systemd ${v} does not know this setting`;
  if (name === 'SystemCallArchitectures') return `architecture names: ${code('native')} and the others listed in completion`;
  if (name === 'SystemCallErrorNumber') return `an errno name such as ${code('EPERM')} or a number 1–4095${words.includes('kill') ? `, or ${code('kill')}` : ''}`;
  if (words.length > 0 && (kind === 'enum' || (kind !== 'address-family-list' && kind !== 'list-of-strings' && kind !== 'bytes' && kind !== 'string'))) {
    return `one of ${words.map(code).join(' · ')}`;
  }
  let base = KIND_TEXT[kind] ?? 'a value';
  if (words.length) base += `; also ${words.map(code).join(' · ')}`;
  return base;
}

function directiveHeader(d: DirectiveInfo, section: string | null, version: number): string {
  const range = section ? d.sections[section] : undefined;
  const sections = Object.keys(d.sections);
  const where = range ? `[${section}]` : sections.map((s) => `[${s}]`).join(' ');
  const since = range ? sinceText(range.since, range.basis) : '';
  let line = `**${plain(d.name)}=** — ${where}`;
  if (since) line += ` · since ${since}`;
  if (range && range.until !== null && range.until < version) line += ` · removed after systemd ${range.until}`;
  return line;
}

function deprecationText(d: DirectiveInfo, version: number): string | null {
  const dep = d.deprecated;
  if (!dep) return null;
  const when = dep.since <= version ? `Deprecated since systemd ${dep.since}` : `Deprecated from systemd ${dep.since} on`;
  const repl = dep.replacement ? `; use ${code(dep.replacement + '=')} instead` : '';
  return `⚠ ${when} (${dep.how})${repl}.`;
}

/**
 * The static documentation of a directive: header, description, accepted values for the version,
 * and for the sandboxing ones what they protect against and can break. `section` narrows the
 * header and value list to that section (null: the directive in general).
 */
export const directiveMarkdown = memo((name: string, section: string | null, version: number): string => {
  const d = directive(name);
  if (!d) return '';
  const v = targetVersion(version);
  const parts: string[] = [directiveHeader(d, section, v), plain(d.description)];
  if (d.aliasOf) parts.push(`An older, undocumented spelling of ${code(d.aliasOf + '=')}.`);
  const dep = deprecationText(d, v);
  if (dep) parts.push(dep);
  const accepts = acceptsText(name, section, v);
  if (accepts) parts.push(`**Accepts (systemd ${v}):** ${accepts}.`);
  const s = section ? setting(section, name) : undefined;
  if ((s?.list ?? d.list) === true) parts.push('Repeated assignments add up; an empty assignment resets the list.');
  const doc = directiveDoc(name);
  if (doc?.protects) parts.push(`**Protects against:** ${doc.protects}`);
  if (doc?.breaks) parts.push(`**Can break:** ${doc.breaks}`);
  if (doc?.related?.length) parts.push(`**See also:** ${doc.related.map((r) => code(r + '=')).join(', ')}`);
  return parts.join('\n\n');
});

/** Markdown for one enum / special word of a directive. */
export function valueMarkdown(name: string, value: string, version: number): string {
  const meaning = valueMeaning(name, value);
  const known = valuesIn(name, version).find((x) => x.value === value);
  const parts = [`**${plain(name)}=${plain(value)}**`];
  const d = directive(name);
  if (meaning) parts.push(meaning);
  else if (value === 'yes' || value === 'true') parts.push(`Turns it on: ${plain(d?.description ?? '')}`);
  else if (value === 'no' || value === 'false') parts.push('Turns it off (the default for most settings).');
  else if (d) parts.push(`One of the words ${code(name + '=')} accepts. ${plain(d.description)}`);
  if (known && known.since > OLDEST_VERSION) parts.push(`Accepted since ${sinceText(known.since, known.basis)}.`);
  return parts.join('\n\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Sections

export const sectionMarkdown = memo((name: string, unitType: string | null): string => {
  const doc = sectionDoc(name);
  const parts = [`**[${plain(name)}]**${unitType ? ` — in .${unitType} units` : ''}`];
  parts.push(doc ?? (name.startsWith('X-') ? 'A vendor extension section: systemd ignores it and everything in it.' : 'systemd does not know this section.'));
  return parts.join('\n\n');
});

// ---------------------------------------------------------------------------------------------------------------
// Vocabularies

/** Which check of a version reads a capability (json_field and printed name), if any. */
export function capabilityChecks(version: number, capName: string): { json_field: string; name: string }[] {
  const out: { json_field: string; name: string }[] = [];
  for (const a of assessorsFor(version)) {
    if (a.kind === 'capability_bounding_set' && (a.parameters?.capabilities ?? []).includes(capName)) {
      out.push({ json_field: a.json_field, name: a.name });
    }
  }
  return out;
}

export const capabilityMarkdown = memo((c: Capability, version: number): string => {
  const parts = [`**${c.name}** (capability ${c.number})`, plain(c.description)];
  if (c.risk) parts.push(`**Risk:** ${plain(c.risk)}`);
  const checks = capabilityChecks(version, c.name);
  if (checks.length) parts.push(`Checked by systemd-analyze security: ${checks.map((k) => code(k.name)).join(', ')}.`);
  if (c.since > 252) parts.push(`Known to systemd ${c.since} and later.`);
  return parts.join('\n\n');
});

interface GroupIndex {
  /** syscall name -> the groups (not @known) whose expansion contains it, in table order */
  groupsOf: Map<string, string[]>;
  expansions: Map<string, Set<string>>;
}
const groupIndexes = new Map<TargetVersion, GroupIndex>();

/** Per version: which groups contain each system call (built once, on first use). */
export function groupIndex(version: number): GroupIndex {
  const v = targetVersion(version);
  let gi = groupIndexes.get(v);
  if (!gi) {
    gi = { groupsOf: new Map(), expansions: new Map() };
    for (const g of syscallGroups(v)) {
      const names = expandSyscallGroup(v, g.name);
      gi.expansions.set(g.name, names);
      if (g.name === '@known') continue;
      for (const n of names) {
        const l = gi.groupsOf.get(n);
        if (l) l.push(g.name);
        else gi.groupsOf.set(n, [g.name]);
      }
    }
    groupIndexes.set(v, gi);
  }
  return gi;
}

export const syscallGroupMarkdown = memo((g: SyscallGroup, version: number): string => {
  const v = targetVersion(version);
  const parts = [`**${plain(g.name)}** — system-call group (systemd ${v})`, plain(g.description)];
  if (g.typicallyNeededBy.length) parts.push(`**Typically needed by:** ${g.typicallyNeededBy.map(plain).join('; ')}`);
  const total = groupIndex(v).expansions.get(g.name)?.size ?? 0;
  const shown = g.members.slice(0, 60).map(code).join(' ');
  const more = g.members.length > 60 ? ` … and ${g.members.length - 60} more` : '';
  parts.push(`**Members (${g.members.length}${total !== g.members.length ? `, ${total} calls with nested groups expanded` : ''}):** ${shown}${more}`);
  const check = assessorsFor(v).find((a) => a.kind === 'system_call_filter' && a.parameters?.syscallGroup === g.name);
  if (check) parts.push(`systemd-analyze security checks that this group is filtered (${code(`SystemCallFilter=~${g.name}`)}).`);
  return parts.join('\n\n');
});

export const syscallMarkdown = memo((name: string, version: number): string => {
  const v = targetVersion(version);
  const groups = groupIndex(v).groupsOf.get(name) ?? [];
  const parts = [`**${plain(name)}** — system call`];
  parts.push(groups.length ? `In ${groups.map(code).join(', ')}.` : 'Not in any group but @known.');
  if (!isResolvableSyscall(v, name)) parts.push('libseccomp does not know it on x86-64, so systemd ignores it there.');
  return parts.join('\n\n');
});

export const addressFamilyMarkdown = memo((f: AddressFamily): string => {
  const parts = [`**${f.name}** (address family ${f.number})`, plain(f.description)];
  if (f.aliasOf) parts.push(`Another name for ${code(f.aliasOf)}.`);
  const bucket =
    f.number === 1 ? 'AF_UNIX' : f.number === 2 || f.number === 10 ? 'AF_(INET|INET6)' : f.number === 16 ? 'AF_NETLINK' : f.number === 17 ? 'AF_PACKET' : f.number === 0 ? null : '… (all other families)';
  if (bucket) parts.push(`Counted by the systemd-analyze security check ${code(`RestrictAddressFamilies=~${bucket}`)}.`);
  return parts.join('\n\n');
});

export const namespaceMarkdown = memo((t: NamespaceType, version: number): string => {
  const v = targetVersion(version);
  const parts = [`**${t.name}** namespace (${t.cloneFlag}, ${t.hex})`, plain(t.description)];
  if (t.coveredByYesSince === null || t.coveredByYesSince > v) parts.push(`In systemd ${v}, ${code('RestrictNamespaces=yes')} does not cover this type; list it explicitly.`);
  return parts.join('\n\n');
});

export function errnoMarkdown(e: ErrnoName): string {
  const parts = [`**${e.name}** (errno ${e.number})`, plain(e.description)];
  if (e.aliasOf) parts.push(`Another name for ${code(e.aliasOf)}.`);
  return parts.join('\n\n');
}

export function architectureMarkdown(name: string): string {
  return [`**${plain(name)}** — system-call ABI`, architectureDoc(name) ?? 'An architecture libseccomp knows.'].join('\n\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Exposure

/** "9.6 → 9.4". */
export function arrow(before: string, after: string): string {
  return `${before} → ${after}`;
}

/** The checks of a score result that belong to a directive, in systemd's printed order. */
export function checksFor(name: string, result: ScoreResult): CheckResult[] {
  return result.checks.filter((c) => directiveAffects(name, c.json_field));
}

/**
 * The exposure part of a directive hover: the overall exposure, the checks the directive can
 * change with their badness and exposure share now, and what removing the hovered line would give.
 */
export function exposureMarkdown(
  name: string,
  result: ScoreResult,
  opts: { refusedReason?: string | null; withoutLine?: string | null } = {},
): string {
  const rows = checksFor(name, result);
  if (!result.exposure || rows.length === 0) return '';
  const parts = [`**Exposure now:** ${result.exposure.text} ${result.band ?? ''} (systemd-analyze security, systemd ${result.version})`];
  if (opts.refusedReason) parts.push(`systemd would not load the unit as it stands (${plain(opts.refusedReason)}); the numbers assume it loads.`);
  // Failing and not-applicable checks in full, worst first; passing ones listed in full only when few.
  const failing = rows.filter((c) => c.set !== true).sort((a, b) => Number(b.exposure ?? 0) - Number(a.exposure ?? 0));
  const passing = rows.filter((c) => c.set === true);
  const shown = failing.length + passing.length <= 8 ? [...failing, ...passing] : failing;
  if (shown.length) {
    const lines = ['| Check | Badness | Exposure | Now |', '|---|---|---|---|'];
    for (const c of shown) {
      const bad = c.badness === null ? 'n/a' : `${c.badness}/${c.range}`;
      const mark = c.set === null ? '–' : c.set ? '✓' : '✗';
      lines.push(`| ${mark} ${cell(code(c.name))} | ${bad} | ${c.exposure ?? '–'} | ${cell(c.description ?? '')} |`);
    }
    parts.push(lines.join('\n'));
  }
  if (shown.length < rows.length) parts.push(`✓ Passing (${passing.length}): ${passing.map((c) => code(c.name)).join(', ')}`);
  if (opts.withoutLine) parts.push(`Without this line: ${opts.withoutLine}`);
  return parts.join('\n\n');
}
