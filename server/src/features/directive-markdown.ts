/**
 * Markdown documentation of directives, their value words and sections, for hover and completion:
 * our one-line description from directives.json, the values the target version accepts, and for the
 * sandboxing settings what they protect against and can break (directive-docs.ts). Static per
 * (name, section, version) and memoized.
 */
import {
  type DirectiveInfo,
  directive,
  OLDEST_VERSION,
  sectionsFor,
  setting,
  type ValueKind,
  valuesIn,
} from '../knowledge/directives';
import { targetVersion } from '../model/values/folded';
import { directiveDoc, sectionDoc, valueMeaning } from './directive-docs';
import { code, memoize, plain } from './markdown';

/** "systemd 245" or, for the oldest version the data knows, "systemd 239 or earlier". */
export function sinceText(since: number, basis?: string): string {
  const base = since <= OLDEST_VERSION ? `systemd ${OLDEST_VERSION} or earlier` : `systemd ${since}`;
  return basis && basis !== 'man'
    ? `${base} (from ${basis === 'news' ? 'the release notes' : basis === 'twin' ? 'its sibling setting' : 'an estimate'})`
    : base;
}

const KIND_TEXT: Partial<Record<ValueKind, string>> = {
  boolean: 'a boolean (`yes`/`no`, also `true`/`false`, `on`/`off`, `1`/`0`)',
  tristate: 'a boolean (`yes`/`no`); unset means systemd decides',
  string: 'a string',
  path: 'an absolute path',
  'path-list': 'a space-separated list of absolute paths (prefix `-` to ignore a missing one)',
  'exec-command': 'a command line, with optional prefixes such as `-`, `+`, `!` or `@`',
  'capability-list':
    'capability names (`CAP_…`) separated by spaces; a leading `~` removes them instead of keeping them',
  'syscall-filter':
    'system-call names and `@groups` separated by spaces; a leading `~` turns the list into a deny-list; `NAME:ERRNO` picks the error returned (deny-lists only)',
  'address-family-list':
    'address families (`AF_…`) separated by spaces; a leading `~` denies instead of allowing; `none` denies all',
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
  'device-allow':
    'a device path or class (`/dev/null`, `char-rtc`, `block-loop`) followed by access rights made of `r`, `w` and `m`',
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
  // The section's setting has a parser of its own that takes none of the directive's value words.
  const ownParserWithoutWords =
    s !== undefined && s.values.length === 0 && d.values !== undefined && d.values.length > 0 && s.parser !== d.parser;
  const words = ownParserWithoutWords ? [] : valuesIn(name, version).map((v) => v.value);
  const v = targetVersion(version);
  if (sectionsFor(name, v).length === 0) return `nothing: systemd ${v} does not know this setting`;
  if (name === 'SystemCallArchitectures')
    return `architecture names: ${code('native')} and the others listed in completion`;
  if (name === 'SystemCallErrorNumber')
    return `an errno name such as ${code('EPERM')} or a number 1–4095${words.includes('kill') ? `, or ${code('kill')}` : ''}`;
  if (
    words.length > 0 &&
    (kind === 'enum' ||
      (kind !== 'address-family-list' && kind !== 'list-of-strings' && kind !== 'bytes' && kind !== 'string'))
  ) {
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
  if (range?.alsoIn?.length) line += ` · also in ${range.alsoIn.map((v) => `systemd ${v}`).join(', ')} (backport)`;
  if (range && range.until !== null && range.until < version) line += ` · removed after systemd ${range.until}`;
  return line;
}

function deprecationText(d: DirectiveInfo, version: number): string | null {
  const dep = d.deprecated;
  if (!dep) return null;
  const when =
    dep.since <= version ? `Deprecated since systemd ${dep.since}` : `Deprecated from systemd ${dep.since} on`;
  const repl = dep.replacement
    ? `; use ${code(dep.replacement + '=')} instead`
    : dep.advice
      ? `; use ${plain(dep.advice)} instead`
      : '';
  return `⚠ ${when} (${dep.how})${repl}.`;
}

/**
 * The static documentation of a directive: header, description, accepted values for the version,
 * and for the sandboxing ones what they protect against and can break. `section` narrows the
 * header and value list to that section (null: the directive in general).
 */
export const directiveMarkdown = /* @__PURE__ */ memoize(
  (name: string, section: string | null, version: number): string => {
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
  },
);

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

export const sectionMarkdown = /* @__PURE__ */ memoize((name: string, unitType: string | null): string => {
  const doc = sectionDoc(name);
  const parts = [`**[${plain(name)}]**${unitType ? ` — in .${unitType} units` : ''}`];
  parts.push(
    doc ??
      (name.startsWith('X-')
        ? 'A vendor extension section: systemd ignores it and everything in it.'
        : 'systemd does not know this section.'),
  );
  return parts.join('\n\n');
});
