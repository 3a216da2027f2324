/**
 * Completion as plain data (the LSP adapter converts): section names on a `[` line, directive
 * names per section and version, and values per directive — enums, booleans, capabilities,
 * system-call groups and calls (with `~` and `:errno`), errno names, address families, namespace
 * types, architectures, UMask= suggestions, IP address keywords.
 *
 * For settings an exposure check reads, each value carries `exposureAfter` ("9.6 → 9.4"): the
 * unit re-scored by the engine with the value applied in place (the line's value replaced, so
 * later lines and drop-ins still override it as they would). Directive names carry it when we
 * insert a value with them. Candidates that provably score alike share one computation: two words
 * that no other assignment of the setting mentions and that every check and every group in play
 * treats alike (swapping them changes nothing systemd computes) get the same exposure.
 *
 * Never throws: any input gives a (possibly empty) list.
 */
import { assessorsFor } from '../exposure/assessors';
import {
  type DirectiveInfo,
  directivesIn,
  isKnown,
  setting,
  valuesIn,
} from '../knowledge/directives';
import {
  addressFamilies,
  addressFamily,
  ADDRESS_FAMILY_SPECIAL_VALUES,
  capabilities,
  ERRNO_SPECIAL_VALUES,
  errnoNames,
  namespaceTypes,
  syscallGroups,
} from '../knowledge/vocabulary';
import { capabilityFromName } from '../model/values/capabilities';
import { knownArchitectures } from '../model/values/syscalls';
import { isPseudoSyscall, isResolvableSyscall } from '../model/values/vocab';
import type { Span } from '../syntax/types';
import {
  type CursorContext,
  type CursorWord,
  type Edit,
  type Exposure,
  type FeatureContext,
  locate,
  type Place,
  scopeKey,
  splitValueWords,
  UnitAtCursor,
} from './context';
import {
  addressFamilyMarkdown,
  architectureMarkdown,
  arrow,
  capabilityChecks,
  capabilityMarkdown,
  directiveDoc,
  directiveMarkdown,
  errnoMarkdown,
  groupIndex,
  isSandboxDirective,
  namespaceMarkdown,
  plain,
  sectionMarkdown,
  syscallGroupMarkdown,
  syscallMarkdown,
  UMASK_SUGGESTIONS,
  valueMarkdown,
  valueMeaning,
} from './docs';

export type { FeatureContext } from './context';

export type CompletionKind =
  | 'section'
  | 'directive'
  | 'value'
  | 'capability'
  | 'syscall-group'
  | 'syscall'
  | 'address-family'
  | 'namespace'
  | 'errno'
  | 'snippet';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText?: string;
  isSnippet?: boolean;
  /** The text the entry replaces (offsets in the cursor's file); it contains the cursor. */
  replace: Span;
  sortText?: string;
  filterText?: string;
  deprecated?: boolean;
  /** Predicted overall exposure before → after choosing the entry, e.g. "9.6 → 9.4". */
  exposureAfter?: string;
  preselect?: boolean;
}

export interface CompleteOptions {
  /** Compute `exposureAfter` (default true). */
  exposure?: boolean;
  /** Share one computation between candidates that provably score alike (default true; tests turn it off). */
  dedupe?: boolean;
}

export function complete(ctx: FeatureContext, options?: CompleteOptions): CompletionEntry[] {
  try {
    const cc = locate(ctx);
    if (!cc) return [];
    const opts = { exposure: options?.exposure !== false, dedupe: options?.dedupe !== false };
    const p = cc.place;
    switch (p.kind) {
      case 'section-header':
        return sectionEntries(cc, p.span, true);
      case 'key':
        if (!cc.section) return sectionEntries(cc, p.span, false);
        return directiveEntries(cc, p, opts);
      case 'value':
        return valueEntries(cc, p, opts);
      default:
        return [];
    }
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sections

function sectionEntries(cc: CursorContext, replace: Span, bracketTyped: boolean): CompletionEntry[] {
  const present = new Set(cc.tree.sections.map((s) => s.name));
  return cc.validSections.map((name, i) => {
    const here = present.has(name) && !(cc.node?.kind === 'section' && cc.node.name === name);
    return {
      label: name,
      kind: 'section',
      detail: here ? 'already in this file (a second header merges into the first)' : `section of .${cc.unitType ?? 'service'} units`,
      documentation: sectionMarkdown(name, cc.unitType),
      insertText: `[${name}]`,
      filterText: bracketTyped ? `[${name}]` : name,
      replace,
      sortText: `${here ? 1 : 0}${String(i).padStart(2, '0')}`,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Directive names

/** Escapes text for a snippet placeholder or choice. */
function snippetEscape(s: string, inChoice: boolean): string {
  return inChoice ? s.replace(/[\\$}|,]/g, '\\$&') : s.replace(/[\\$}]/g, '\\$&');
}

function bestChoices(d: DirectiveInfo, section: string, best: string, version: number): string[] {
  const s = setting(section, d.name);
  const kind = s?.kind ?? d.kind;
  let words: string[] = [];
  if (kind === 'boolean' || kind === 'tristate') words = ['yes', 'no'];
  else if (kind === 'enum') words = valuesIn(d.name, version).map((v) => v.value);
  if (!words.includes(best)) return [];
  return [best, ...words.filter((w) => w !== best)];
}

function directiveEntries(cc: CursorContext, place: Extract<Place, { kind: 'key' }>, opts: { exposure: boolean }): CompletionEntry[] {
  const section = cc.section?.name;
  if (!section || !cc.validSections.includes(section)) return [];
  const version = cc.version;
  const list = directivesIn(section, version);
  // Keys already assigned in this section of this file (the line being edited excluded).
  const setHere = new Set<string>();
  for (const e of cc.tree.entries) if (e.section?.name === section && e !== place.entry) setHere.add(e.key);

  let unit: UnitAtCursor | null = null;
  let before: Exposure | null = null;
  if (opts.exposure && !place.hasEquals && cc.section) {
    // The half-typed line is not an assignment, so the unit without it is the unit as it stands.
    const cut = cc.node ? cc.node.span : place.span;
    unit = new UnitAtCursor(cc, scopeKey(cc, cut, `directive\u0000${section}`));
    const b = unit.base().result.exposure;
    before = b ? { tenths: b.tenths, text: b.text } : null;
    if (!before) unit = null;
  }

  const out: CompletionEntry[] = [];
  for (const d of list) {
    const s = setting(section, d.name);
    const isList = s?.list ?? d.list;
    const deprecated = d.deprecated !== undefined && d.deprecated.since <= version;
    const doc = directiveDoc(d.name);
    const best = doc?.best;
    const entry: CompletionEntry = {
      label: d.name,
      kind: 'directive',
      documentation: directiveMarkdown(d.name, section, version),
      replace: place.span,
      filterText: d.name,
    };
    if (deprecated) entry.deprecated = true;
    if (place.hasEquals) {
      entry.insertText = d.name;
      entry.detail = d.description;
    } else if (best !== undefined && best !== '') {
      const choices = bestChoices(d, section, best, version);
      entry.insertText = choices.length
        ? `${d.name}=\${1|${choices.map((c) => snippetEscape(c, true)).join(',')}|}`
        : `${d.name}=\${1:${snippetEscape(best, false)}}`;
      entry.isSnippet = true;
      entry.detail = `${d.name}=${best}`;
    } else {
      entry.insertText = `${d.name}=`;
      entry.detail = d.description;
    }
    if (deprecated && d.deprecated?.replacement) entry.detail = `deprecated: use ${d.deprecated.replacement}=`;

    let improves = false;
    if (unit && before && best !== undefined && isSandboxDirective(d.name) && mayMatch(place.prefix, d.name)) {
      // A single-valued setting whose last assignment already has this value: another one changes nothing.
      const all = isList ? [] : unit.assignmentsOf(section, d.name);
      const same = all.length > 0 && all[all.length - 1]!.value === best;
      const after = same
        ? before
        : unit.exposureWith(
            [{ kind: 'insert', at: place.span.start, section: cc.section, sectionName: section, key: d.name, value: best }],
            `${d.name}=${best}`,
          );
      if (after) {
        entry.exposureAfter = arrow(before.text, after.text);
        improves = after.tenths < before.tenths;
      }
    }
    const rank = deprecated || d.aliasOf ? 3 : !isList && setHere.has(d.name) ? 2 : improves ? 0 : 1;
    entry.sortText = `${rank}${d.name}`;
    out.push(entry);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Values

interface Candidate {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Text inserted instead of the label. */
  insert?: string;
  deprecated?: boolean;
  group: number;
  /** Dedupe class: candidates with the same key score alike (undefined: its own class). */
  classKey?: string;
  /** False when the candidate cannot change the exposure differently from the line without it (errno suffixes). */
  scored?: boolean;
}

/** The value with [from, to) replaced by `word`, keeping words apart. */
function withWord(value: string, from: number, to: number, word: string): string {
  const left = value.slice(0, from);
  const right = value.slice(to);
  const sepLeft = left.length > 0 && !/[\s~]$/.test(left) && word !== '' ? ' ' : '';
  const sepRight = right.length > 0 && !/^\s/.test(right) && word !== '' ? ' ' : '';
  return left + sepLeft + word + sepRight + right;
}

/** The value without the word under the cursor, or null when nothing of substance remains. */
function withoutWord(value: string, w: CursorWord): string | null {
  const rest = (value.slice(0, w.from) + ' ' + value.slice(w.to)).trim();
  if (rest.replace(/^~/, '').trim() === '') return null;
  return rest.replace(/^~\s+/, '~');
}

/** Drops quotes and backslashes, so a quoted word in another line still counts as mentioning the name. */
function unquote(word: string): string {
  return word.replace(/["'\\]/g, '');
}

const AF_BUCKET = (n: number): string | null =>
  n === 0 ? null : n === 1 ? 'unix' : n === 2 || n === 10 ? 'inet' : n === 16 ? 'netlink' : n === 17 ? 'packet' : 'other';

function valueEntries(cc: CursorContext, place: Extract<Place, { kind: 'value' }>, opts: { exposure: boolean; dedupe: boolean }): CompletionEntry[] {
  const section = cc.section?.name;
  const key = place.key;
  const version = cc.version;
  if (!section || !cc.validSections.includes(section) || !isKnown(section, key, version) || place.beforeTilde) return [];
  const s = setting(section, key);
  if (!s) return [];
  const kind = s.kind;
  const w = place.word;
  const first = w.index === 0;
  const onlyWord = place.words.filter((x) => x.from !== w.from).length === 0;
  const cands: Candidate[] = [];
  let replace = w.span;

  // Words of the setting's other assignments (and of this line), for the dedupe classes.
  const others: string[] = [];
  let unit: UnitAtCursor | null = null;
  const wantExposure = opts.exposure && isSandboxDirective(key);
  if (wantExposure) {
    unit = new UnitAtCursor(cc, scopeKey(cc, w.span, `value\u0000${section}\u0000${key}\u0000${w.from}`));
    for (const a of unit.assignmentsOf(section, key)) {
      if (a.file.order === cc.ctx.fileIndex && a.entry.span.start === place.entry.span.start) continue;
      for (const x of splitValueWords(a.value, a.value.startsWith('~') ? 1 : 0)) others.push(unquote(x.text));
    }
    for (const x of place.words) if (x.from !== w.from) others.push(unquote(x.text));
  }

  if (w.colon && (kind === 'syscall-filter' || key === 'SystemCallFilter')) {
    // NAME:ERRNO — the error number a denied call returns.
    replace = w.colon.errnoSpan;
    for (const sp of ERRNO_SPECIAL_VALUES) {
      if (sp.since <= version) cands.push({ label: sp.name, kind: 'errno', detail: 'kill the process instead', documentation: plain(sp.description), group: 0, scored: false });
    }
    for (const e of errnoNames(version)) {
      cands.push({ label: e.name, kind: 'errno', detail: `errno ${e.number}${e.aliasOf ? ` (= ${e.aliasOf})` : ''}`, documentation: errnoMarkdown(e), group: e.aliasOf ? 2 : 1, scored: false });
    }
  } else if (kind === 'syscall-filter') {
    const gi = groupIndex(version);
    const classes = syscallClasses(version, others);
    for (const g of syscallGroups(version)) {
      cands.push({
        label: g.name,
        kind: 'syscall-group',
        detail: `${g.members.length} entries`,
        documentation: syscallGroupMarkdown(g, version),
        group: 0,
        classKey: classes.keyOf(gi.expansions.get(g.name) ?? []),
      });
    }
    const known = gi.expansions.get('@known') ?? new Set<string>();
    for (const name of [...known].sort()) {
      if (!isResolvableSyscall(version, name)) continue;
      const groups = gi.groupsOf.get(name) ?? [];
      cands.push({
        label: name,
        kind: 'syscall',
        detail: groups.slice(0, 4).join(' ') || 'system call',
        documentation: syscallMarkdown(name, version),
        group: 1,
        classKey: classes.keyOf([name]),
      });
    }
  } else if (key === 'SystemCallErrorNumber') {
    if (!first) return [];
    for (const v of valuesIn(key, version)) cands.push({ label: v.value, kind: 'value', detail: 'kill the process', documentation: valueMarkdown(key, v.value, version), group: 0 });
    for (const e of errnoNames(version)) {
      cands.push({ label: e.name, kind: 'errno', detail: `errno ${e.number}${e.aliasOf ? ` (= ${e.aliasOf})` : ''}`, documentation: errnoMarkdown(e), group: e.aliasOf ? 2 : e.name === 'EPERM' ? 0 : 1 });
    }
  } else if (kind === 'capability-list') {
    const mentioned = new Set<number>();
    for (const o of others) {
      const n = capabilityFromName(o, version);
      if (n !== undefined) mentioned.add(n);
    }
    for (const c of capabilities(version)) {
      const checks = capabilityChecks(version, c.name);
      const cand: Candidate = {
        label: c.name,
        kind: 'capability',
        detail: firstSentence(c.description),
        documentation: capabilityMarkdown(c, version),
        group: 0,
      };
      if (!mentioned.has(c.number)) {
        cand.classKey = key === 'AmbientCapabilities' ? (place.inverted ? undefined : 'a:any') : `c:${checks.map((k) => k.json_field).join(',')}`;
      }
      cands.push(cand);
    }
  } else if (kind === 'address-family-list') {
    if (first && onlyWord && !place.inverted) {
      for (const sp of ADDRESS_FAMILY_SPECIAL_VALUES) {
        if (sp.since <= version) cands.push({ label: sp.name, kind: 'value', detail: 'no sockets at all', documentation: plain(sp.description), group: 0 });
      }
    }
    const mentioned = new Set<number>();
    for (const o of others) {
      const f = addressFamily(o, version);
      if (f) mentioned.add(f.number);
    }
    for (const f of addressFamilies(version)) {
      const cand: Candidate = {
        label: f.name,
        kind: 'address-family',
        detail: f.aliasOf ? `= ${f.aliasOf}` : firstSentence(f.description),
        documentation: addressFamilyMarkdown(f),
        group: ['AF_UNIX', 'AF_INET', 'AF_INET6', 'AF_NETLINK', 'AF_PACKET'].includes(f.name) ? 0 : f.aliasOf ? 2 : 1,
      };
      const bucket = AF_BUCKET(f.number);
      if (bucket && !mentioned.has(f.number)) cand.classKey = `f:${bucket}`;
      cands.push(cand);
    }
  } else if (kind === 'namespace-list') {
    if (first && onlyWord && !place.inverted) {
      cands.push({ label: 'yes', kind: 'value', detail: 'forbid every namespace type', documentation: valueMarkdown(key, 'yes', version), group: 0 });
      cands.push({ label: 'no', kind: 'value', detail: 'allow every namespace type', documentation: valueMarkdown(key, 'no', version), group: 0 });
    }
    for (const t of namespaceTypes(version)) {
      cands.push({ label: t.name, kind: 'namespace', detail: firstSentence(t.description), documentation: namespaceMarkdown(t, version), group: 1 });
    }
  } else if (key === 'SystemCallArchitectures') {
    for (const a of knownArchitectures(version)) {
      cands.push({ label: a, kind: 'value', detail: a === 'native' ? 'the ABI systemd was built for' : 'ABI', documentation: architectureMarkdown(a), group: a === 'native' ? 0 : 1 });
    }
  } else if (key === 'UMask') {
    if (!first) return [];
    UMASK_SUGGESTIONS.forEach((u, i) => cands.push({ label: u.value, kind: 'value', detail: firstSentence(u.description), documentation: `**UMask=${u.value}**\n\n${u.description}`, group: i }));
  } else if (kind === 'ip-address-list') {
    for (const word of ['any', 'localhost', 'link-local', 'multicast']) {
      cands.push({ label: word, kind: 'value', detail: valueMeaning(key, word) ?? '', documentation: valueMarkdown(key, word, version), group: 0 });
    }
  } else {
    const isList = s.list && kind !== 'enum' && kind !== 'boolean' && kind !== 'tristate';
    if (!first && !isList) return [];
    const words: string[] = [];
    if (kind === 'boolean' || kind === 'tristate') words.push('yes', 'no');
    // Section-specific parsers (Type= in [Mount]) take no words of the top-level table.
    if (s.values.length || kind === 'enum') for (const v of s.values) if (valuesIn(key, version).some((x) => x.value === v.value)) words.push(v.value);
    if (key === 'Delegate' && first && onlyWord) words.unshift('yes', 'no');
    // Words our docs list where the parser tables give none (SecureBits=).
    if (words.length === 0 && !s.directive.values?.length) words.push(...Object.keys(directiveDoc(key)?.values ?? {}));
    const seen = new Set<string>();
    for (const word of words) {
      if (seen.has(word)) continue;
      seen.add(word);
      const meaning = valueMeaning(key, word);
      cands.push({
        label: word,
        kind: 'value',
        detail: meaning ? firstSentence(meaning) : '',
        documentation: valueMarkdown(key, word, version),
        insert: word.endsWith(':') ? word : undefined,
        group: 0,
      });
    }
  }
  if (cands.length === 0) return [];

  // Exposure after each candidate.
  const exposures = new Map<string, string>();
  if (wantExposure && unit && unit.isApplied(place.entry)) {
    const value = place.entry.value;
    const beforeValue = withoutWord(value, w);
    const beforeEdit: Edit = { kind: 'value', entry: place.entry, value: beforeValue };
    const before = unit.exposureWith([beforeEdit], '\0before');
    if (before) {
      for (const c of cands) {
        if (c.scored === false || !mayMatch(w.prefix, c.label)) continue;
        const afterValue = withWord(value, w.from, w.to, c.insert ?? c.label);
        const memoKey = opts.dedupe && c.classKey !== undefined ? `\0class:${c.classKey}` : `\0word:${c.label}`;
        const after = unit.exposureWith([{ kind: 'value', entry: place.entry, value: afterValue }], memoKey);
        if (after) exposures.set(c.label, arrow(before.text, after.text));
      }
    }
  }

  const best = directiveDoc(key)?.best;
  return cands.map((c, i) => {
    const e: CompletionEntry = {
      label: c.label,
      kind: c.kind,
      replace,
      // Groups first, then the order of the data (enum tables, capability and family numbers, ...).
      sortText: `${c.group}${String(i).padStart(4, '0')}`,
      filterText: c.label,
    };
    if (best !== undefined && best !== '' && c.label === best && first) e.preselect = true;
    if (c.detail) e.detail = c.detail;
    if (c.documentation) e.documentation = c.documentation;
    if (c.insert !== undefined && c.insert !== c.label) e.insertText = c.insert;
    if (c.deprecated) e.deprecated = true;
    const x = exposures.get(c.label);
    if (x) e.exposureAfter = x;
    return e;
  });
}

/**
 * Dedupe classes of SystemCallFilter= words. System calls fall into classes: one per call that
 * another assignment (or another word of this line) names directly, the rest by their membership
 * in every group in play (@default, the groups the checks look at, the groups other assignments
 * name) and by whether libseccomp resolves them. systemd treats the calls of a class alike
 * everywhere, and the checks only ask, per group, whether some or all of its calls get through;
 * so a word's effect on the score depends only on which classes it touches, and whether it covers
 * each of them partly or wholly. Words with the same key score alike.
 */
function syscallClasses(version: number, others: readonly string[]): { keyOf: (names: Iterable<string>) => string | undefined } {
  const gi = groupIndex(version);
  const mentioned = new Set<string>();
  const inPlay = new Set<string>(['@default']);
  for (const a of assessorsFor(version)) if (a.kind === 'system_call_filter' && a.parameters?.syscallGroup) inPlay.add(a.parameters.syscallGroup);
  for (const o of others) {
    const name = o.split(':')[0] ?? '';
    if (name.startsWith('@')) inPlay.add(name);
    else mentioned.add(name);
  }
  const groups = [...inPlay].filter((g) => gi.expansions.has(g)).sort().map((g) => gi.expansions.get(g)!);
  const classOf = new Map<string, string | null>();
  const size = new Map<string, number>();
  const classify = (n: string): string | null => {
    let c = classOf.get(n);
    if (c !== undefined) return c;
    const flag = isResolvableSyscall(version, n) ? 'r' : isPseudoSyscall(version, n) ? 'p' : null;
    c = flag === null ? null : mentioned.has(n) ? `=${n}` : flag + groups.map((e) => (e.has(n) ? '1' : '0')).join('');
    classOf.set(n, c);
    return c;
  };
  const universe = new Set<string>(mentioned);
  for (const e of gi.expansions.values()) for (const n of e) universe.add(n);
  for (const n of universe) {
    const c = classify(n);
    if (c !== null) size.set(c, (size.get(c) ?? 0) + 1);
  }
  return {
    keyOf(names: Iterable<string>): string | undefined {
      const count = new Map<string, number>();
      for (const n of names) {
        const c = classify(n);
        if (c !== null) count.set(c, (count.get(c) ?? 0) + 1);
      }
      const parts: string[] = [];
      for (const [c, k] of count) parts.push(`${c}:${k === size.get(c) ? 'all' : 'some'}`);
      return `s:${parts.sort().join(',')}`;
    },
  };
}

/**
 * Whether an editor could still show `label` for the typed `prefix`: a superset of VS Code's fuzzy
 * filter, whose first character must match at the start of the label, after a separator or at an
 * upper-case letter, the rest in order. Entries the client will hide anyway get no exposure.
 */
export function mayMatch(prefix: string, label: string): boolean {
  if (prefix === '') return true;
  const p = prefix.toLowerCase();
  const l = label.toLowerCase();
  for (let i = 0; i < label.length; i++) {
    if (l[i] !== p[0]) continue;
    const start = i === 0 || !/[A-Za-z0-9]/.test(label[i - 1]!) || (label[i] !== l[i] && label[i - 1] === l[i - 1]);
    if (!start) continue;
    let j = 1;
    for (let k = i + 1; k < label.length && j < p.length; k++) if (l[k] === p[j]) j++;
    if (j === p.length) return true;
  }
  return false;
}

function firstSentence(s: string): string {
  let end = s.length;
  const re = /[.;](\s|$)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (/\b(e\.g|i\.e|etc|vs)$/.test(s.slice(0, m.index))) continue;
    end = m.index + 1;
    break;
  }
  const t = s.slice(0, end);
  return t.length > 90 ? t.slice(0, 87) + '…' : t;
}
