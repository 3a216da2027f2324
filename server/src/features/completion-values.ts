/**
 * Completion of values per directive: enums, booleans, capabilities, system-call groups and calls
 * (with `~` and `:errno`), errno names, address families, namespace types, architectures, UMask=
 * suggestions, IP address keywords; each with the exposure after choosing it, shared between
 * candidates that provably score alike (see completion.ts).
 */
import { assessorsFor } from '../exposure/assessors';
import { isKnown, setting, valuesIn } from '../knowledge/directives';
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
import { isPseudoSyscall, isResolvableSyscall } from '../model/values/name-lookups';
import { type CursorContext, type CursorWord, type Place, splitValueWords } from './cursor-context';
import { type Edit, scopeKey, UnitAtCursor } from './what-if';
import { directiveDoc, isSandboxDirective, umaskSuggestions, valueMeaning } from './directive-docs';
import { valueMarkdown } from './directive-markdown';
import { arrow, plain } from './markdown';
import {
  addressFamilyMarkdown,
  architectureMarkdown,
  capabilityChecks,
  capabilityMarkdown,
  errnoMarkdown,
  groupIndex,
  namespaceMarkdown,
  syscallGroupMarkdown,
  syscallMarkdown,
} from './vocabulary-markdown';
import { type CompletionEntry, type CompletionKind, firstSentence, mayMatch } from './completion-common';
import { cutOffChecker } from './completion-risk';

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
  n === 0
    ? null
    : n === 1
      ? 'unix'
      : n === 2 || n === 10
        ? 'inet'
        : n === 16
          ? 'netlink'
          : n === 17
            ? 'packet'
            : 'other';

export function valueEntries(
  cc: CursorContext,
  place: Extract<Place, { kind: 'value' }>,
  opts: { exposure: boolean; dedupe: boolean },
): CompletionEntry[] {
  const section = cc.section?.name;
  const key = place.key;
  const version = cc.version;
  if (!section || !cc.validSections.includes(section) || !isKnown(section, key, version) || place.beforeTilde)
    return [];
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
      if (sp.since <= version)
        cands.push({
          label: sp.name,
          kind: 'errno',
          detail: 'kill the process instead',
          documentation: plain(sp.description),
          group: 0,
          scored: false,
        });
    }
    for (const e of errnoNames(version)) {
      cands.push({
        label: e.name,
        kind: 'errno',
        detail: `errno ${e.number}${e.aliasOf ? ` (= ${e.aliasOf})` : ''}`,
        documentation: errnoMarkdown(e),
        group: e.aliasOf ? 2 : 1,
        scored: false,
      });
    }
  } else if (kind === 'syscall-filter') {
    const index = groupIndex(version);
    const classes = syscallClasses(version, others);
    for (const g of syscallGroups(version)) {
      cands.push({
        label: g.name,
        kind: 'syscall-group',
        detail: `${g.members.length} entries`,
        documentation: syscallGroupMarkdown(g, version),
        group: 0,
        classKey: classes.keyOf(index.expansions.get(g.name) ?? []),
      });
    }
    const known = index.expansions.get('@known') ?? new Set<string>();
    for (const name of [...known].sort()) {
      if (!isResolvableSyscall(version, name)) continue;
      const groups = index.groupsOf.get(name) ?? [];
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
    for (const v of valuesIn(key, version))
      cands.push({
        label: v.value,
        kind: 'value',
        detail: 'kill the process',
        documentation: valueMarkdown(key, v.value, version),
        group: 0,
      });
    for (const e of errnoNames(version)) {
      cands.push({
        label: e.name,
        kind: 'errno',
        detail: `errno ${e.number}${e.aliasOf ? ` (= ${e.aliasOf})` : ''}`,
        documentation: errnoMarkdown(e),
        group: e.aliasOf ? 2 : e.name === 'EPERM' ? 0 : 1,
      });
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
        cand.classKey =
          key === 'AmbientCapabilities'
            ? place.inverted
              ? undefined
              : 'a:any'
            : `c:${checks.map((k) => k.json_field).join(',')}`;
      }
      cands.push(cand);
    }
  } else if (kind === 'address-family-list') {
    if (first && onlyWord && !place.inverted) {
      for (const sp of ADDRESS_FAMILY_SPECIAL_VALUES) {
        if (sp.since <= version)
          cands.push({
            label: sp.name,
            kind: 'value',
            detail: 'no sockets at all',
            documentation: plain(sp.description),
            group: 0,
          });
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
      cands.push({
        label: 'yes',
        kind: 'value',
        detail: 'forbid every namespace type',
        documentation: valueMarkdown(key, 'yes', version),
        group: 0,
      });
      cands.push({
        label: 'no',
        kind: 'value',
        detail: 'allow every namespace type',
        documentation: valueMarkdown(key, 'no', version),
        group: 0,
      });
    }
    for (const t of namespaceTypes(version)) {
      cands.push({
        label: t.name,
        kind: 'namespace',
        detail: firstSentence(t.description),
        documentation: namespaceMarkdown(t, version),
        group: 1,
      });
    }
  } else if (key === 'SystemCallArchitectures') {
    for (const a of knownArchitectures(version)) {
      cands.push({
        label: a,
        kind: 'value',
        detail: a === 'native' ? 'the ABI systemd was built for' : 'ABI',
        documentation: architectureMarkdown(a),
        group: a === 'native' ? 0 : 1,
      });
    }
  } else if (key === 'UMask') {
    if (!first) return [];
    umaskSuggestions().forEach((u, i) =>
      cands.push({
        label: u.value,
        kind: 'value',
        detail: firstSentence(u.description),
        documentation: `**UMask=${u.value}**\n\n${u.description}`,
        group: i,
      }),
    );
  } else if (kind === 'ip-address-list') {
    for (const word of ['any', 'localhost', 'link-local', 'multicast']) {
      cands.push({
        label: word,
        kind: 'value',
        detail: valueMeaning(key, word) ?? '',
        documentation: valueMarkdown(key, word, version),
        group: 0,
      });
    }
  } else {
    const isList = s.list && kind !== 'enum' && kind !== 'boolean' && kind !== 'tristate';
    if (!first && !isList) return [];
    const words: string[] = [];
    if (kind === 'boolean' || kind === 'tristate') words.push('yes', 'no');
    // Section-specific parsers (Type= in [Mount]) take no words of the top-level table.
    if (s.values.length || kind === 'enum')
      for (const v of s.values) if (valuesIn(key, version).some((x) => x.value === v.value)) words.push(v.value);
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

  // The directive's best value is preselected, unless choosing it would cut the service off (PrivateNetwork=yes
  // on a web server) or follows a `~` (the best allow-list denied). Such values sort last and say why.
  const best = directiveDoc(key)?.best;
  const denying = place.entry.value.trimStart().startsWith('~');
  const cutsOff =
    section === 'Service' && isSandboxDirective(key)
      ? cutOffChecker(unit?.model ?? new UnitAtCursor(cc).model, key)
      : null;
  return cands.map((c, i) => {
    const why =
      cutsOff && c.kind !== 'errno' ? cutsOff(withWord(place.entry.value, w.from, w.to, c.insert ?? c.label)) : null;
    const e: CompletionEntry = {
      label: c.label,
      kind: c.kind,
      replace,
      // Groups first, then the order of the data (enum tables, capability and family numbers, ...); values that cut the service off last.
      sortText: `${why ? 9 : c.group}${String(i).padStart(4, '0')}`,
      filterText: c.label,
    };
    if (best !== undefined && best !== '' && c.label === best && first && !denying && !why) e.preselect = true;
    if (c.detail) e.detail = c.detail;
    if (why) e.detail = `may break the service: ${why}${c.detail ? ` (${c.detail})` : ''}`;
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
function syscallClasses(
  version: number,
  others: readonly string[],
): { keyOf: (names: Iterable<string>) => string | undefined } {
  const index = groupIndex(version);
  const mentioned = new Set<string>();
  const inPlay = new Set<string>(['@default']);
  for (const a of assessorsFor(version))
    if (a.kind === 'system_call_filter' && a.parameters?.syscallGroup) inPlay.add(a.parameters.syscallGroup);
  for (const o of others) {
    const name = o.split(':')[0] ?? '';
    if (name.startsWith('@')) inPlay.add(name);
    else mentioned.add(name);
  }
  const groups = [...inPlay]
    .filter((g) => index.expansions.has(g))
    .sort()
    .map((g) => index.expansions.get(g)!);
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
  for (const e of index.expansions.values()) for (const n of e) universe.add(n);
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
