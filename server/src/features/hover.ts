/**
 * Hover as plain data (markdown and the span it is about):
 * - on a section header: what the section is for (and whether this unit type has it);
 * - on a key: our description, the values the target version accepts, the version that introduced
 *   it, what it protects against and can break, and — for settings the exposure checks read — the
 *   checks it affects with their badness and exposure now, and the exposure without the line;
 * - on a value word: the system-call group, system call, capability, address family, namespace
 *   type, errno name, architecture, UMask= or enum word it is.
 *
 * Never throws: any input gives a result or null.
 */
import { directive, directiveIgnoringCase, isKnown, sectionsFor, setting, valuesIn } from '../knowledge/directives';
import {
  ADDRESS_FAMILY_SPECIAL_VALUES,
  addressFamily,
  capability,
  ERRNO_NOT_ACCEPTED,
  ERRNO_SPECIAL_VALUES,
  errnoName,
  namespaceType,
  syscallGroup,
} from '../knowledge/vocabulary';
import { parseMode } from '../model/values/numbers';
import { knownArchitectures } from '../model/values/syscalls';
import { targetVersion } from '../model/values/folded';
import type { EntryNode, Span } from '../syntax/tree';
import { type CursorContext, type FeatureContext, locate, type Place } from './cursor-context';
import { UnitAtCursor } from './what-if';
import { isSandboxDirective, umaskSuggestions, valueMeaning } from './directive-docs';
import { directiveMarkdown, sectionMarkdown, valueMarkdown } from './directive-markdown';
import { exposureMarkdown } from './exposure-markdown';
import { arrow, code, plain } from './markdown';
import {
  addressFamilyMarkdown,
  architectureMarkdown,
  capabilityMarkdown,
  errnoMarkdown,
  groupIndex,
  namespaceMarkdown,
  syscallGroupMarkdown,
  syscallMarkdown,
} from './vocabulary-markdown';
import { unitNameFinding } from '../rules/unit-name';
import { FIGURE_WORDS, figureOf, otherFigure } from './figures';

export type { FeatureContext } from './cursor-context';

export interface HoverResult {
  markdown: string;
  span: Span;
}

export function hover(ctx: FeatureContext): HoverResult | null {
  try {
    const cc = locate(ctx);
    if (!cc) return null;
    const p = cc.place;
    switch (p.kind) {
      case 'section-header':
        return sectionHover(cc, p);
      case 'key':
        return p.word ? keyHover(cc, p.word, p.entry ? p.entry.keySpan : p.span, p.entry) : null;
      case 'value':
        return valueHover(cc, p);
      default:
        return null;
    }
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** What keeps systemd from loading a file of this name (then its sections and keys are not a unit's), or null. */
function nameFinding(cc: CursorContext): string | null {
  return unitNameFinding(String(cc.ctx.name ?? ''))?.message ?? null;
}

function sectionHover(cc: CursorContext, p: Extract<Place, { kind: 'section-header' }>): HoverResult | null {
  if (p.name === null) return null;
  const parts = [sectionMarkdown(p.name, cc.unitType)];
  const notAUnit = nameFinding(cc);
  if (notAUnit) parts.push(plain(notAUnit));
  else if (!cc.validSections.includes(p.name)) {
    parts.push(
      p.name.startsWith('X-')
        ? 'systemd skips this section and everything in it without a warning.'
        : `⚠ .${cc.unitType ?? 'service'} units have no such section: systemd warns and ignores everything in it. Sections here: ${cc.validSections.map((s) => code(`[${s}]`)).join(', ')}.`,
    );
  } else if (p.name === 'Service' && cc.unitType === 'service') {
    const figures = figuresMarkdown(cc);
    if (figures) parts.push(figures);
  }
  return { markdown: parts.join('\n\n'), span: p.span };
}

/**
 * On a service's [Service]: where the release's two figures print different exposures, both, and why
 * (how each counts PrivateMounts= for this unit). Null where they agree (one figure: the lens says it).
 */
function figuresMarkdown(cc: CursorContext): string | null {
  const unit = new UnitAtCursor(cc);
  const base = unit.base().result;
  const other = otherFigure(unit.model, base);
  if (!other || !base.exposure) return null;
  const own = `${base.exposure.text} ${base.band ?? ''}`.trimEnd();
  return `**Exposure ${own} ${FIGURE_WORDS[figureOf(unit.model)]}, ${other.exposure.toFixed(1)} ${other.band} ${FIGURE_WORDS[other.figure]}.** ${plain(other.why)}`;
}

function keyHover(cc: CursorContext, name: string, span: Span, entry: EntryNode | null): HoverResult | null {
  const section = cc.section?.name ?? null;
  const version = cc.version;
  const d = directive(name);
  if (!d) {
    if (name.startsWith('X-'))
      return {
        markdown: `**${plain(name)}=** — an extension key: systemd ignores keys starting with ${code('X-')}.`,
        span,
      };
    const other = directiveIgnoringCase(name);
    if (other)
      return {
        markdown: `systemd does not know ${code(name + '=')}: keys are case-sensitive. Did you mean ${code(other.name + '=')}?`,
        span,
      };
    return null;
  }
  const inSection = section !== null && d.sections[section] !== undefined;
  const parts = [directiveMarkdown(name, inSection ? section : null, version)];
  if (section !== null && cc.validSections.includes(section) && !isKnown(section, name, version) && !nameFinding(cc)) {
    const elsewhere = sectionsFor(name, version).filter((s) => cc.validSections.includes(s));
    const range = d.sections[section];
    let why: string;
    if (range && range.since > version)
      why = `systemd ${version} does not know it in [${section}] yet (added in ${range.since})`;
    else if (range && range.until !== null && range.until < version)
      why = `systemd ${version} no longer accepts it in [${section}] (last in ${range.until})`;
    else why = `it does not belong in [${section}]`;
    parts.push(
      `⚠ Ignored here: ${why}.${elsewhere.length ? ` It belongs in ${elsewhere.map((s) => code(`[${s}]`)).join(', ')}.` : ''}`,
    );
  }

  if (entry && section !== null && isSandboxDirective(name)) {
    const unit = new UnitAtCursor(cc);
    if (unit.isApplied(entry)) {
      const base = unit.base();
      const info = base.info;
      if (info.refused && info.refused.code !== 'service-verify') {
        parts.push(`No exposure: systemd would not load the unit (${plain(info.refused.reason)}).`);
      } else if (base.result.exposure) {
        const without = unit.exposureWith([{ kind: 'value', entry, value: null }]);
        const md = exposureMarkdown(name, base.result, {
          refusedReason: base.provisional,
          userUnit: unit.model.scope === 'user',
          withoutLine: without ? arrow(base.result.exposure.text, without.text) : null,
        });
        if (md) parts.push(md);
      }
      // A later assignment of a single-valued setting wins over this one.
      const s = setting(section, name);
      if (s && !s.list) {
        const all = unit.assignmentsOf(section, name);
        const last = all[all.length - 1];
        if (last && !(last.file.order === cc.ctx.fileIndex && last.entry.span.start === entry.span.start)) {
          parts.push(
            `Overridden by ${code(`${name}=${last.value}`)} in ${plain(last.file.path)} (line ${last.entry.sdLine}).`,
          );
        }
      }
    }
  }
  return { markdown: parts.join('\n\n'), span };
}

function umaskMarkdown(value: string): string | null {
  const m = parseMode(value);
  if (m === null || m > 0o777) return null;
  const rwx = (bits: number): string =>
    [6, 3, 0]
      .map((sh) => `${bits & (4 << sh) ? 'r' : '-'}${bits & (2 << sh) ? 'w' : '-'}${bits & (1 << sh) ? 'x' : '-'}`)
      .join('');
  const parts = [
    `**UMask=${plain(value)}**`,
    `New files get at most ${code(rwx(0o666 & ~m))}, new directories ${code(rwx(0o777 & ~m))}.`,
  ];
  const s = umaskSuggestions().find((u) => parseMode(u.value) === m);
  if (s) parts.push(s.description);
  return parts.join('\n\n');
}

function valueHover(cc: CursorContext, p: Extract<Place, { kind: 'value' }>): HoverResult | null {
  const section = cc.section?.name ?? null;
  const key = p.key;
  const version = cc.version;
  if (p.beforeTilde) {
    const tilde = { start: p.entry.valueSpan.start, end: p.entry.valueSpan.start + 1 };
    return {
      markdown: `${code('~')} inverts the list: the words after it are denied (or removed) instead of allowed (or kept).`,
      span: tilde,
    };
  }
  const w = p.word;
  if (w.text === '') return null;
  const s = section ? setting(section, key) : undefined;
  const kind = s?.kind ?? directive(key)?.kind;
  let md: string | null = null;
  let span = w.span;

  if (kind === 'syscall-filter') {
    if (w.colon) {
      span = w.colon.errnoSpan;
      md = errnoWordMarkdown(w.colon.errno, version);
    } else {
      // On the name of `name:errno`: the name's hover.
      const name = w.beforeColon?.name ?? w.text;
      if (w.beforeColon) span = w.beforeColon.span;
      const g = name.startsWith('@') ? syscallGroup(version, name) : undefined;
      if (g) md = syscallGroupMarkdown(g, version);
      else if (name.startsWith('@'))
        md = `systemd ${version} has no system-call group ${code(name)}; it ignores the word.`;
      else if (groupIndex(version).expansions.get('@known')?.has(name) || groupIndex(version).groupsOf.has(name))
        md = syscallMarkdown(name, version);
    }
  } else if (key === 'SystemCallErrorNumber') {
    md = errnoWordMarkdown(w.text, version);
  } else if (kind === 'capability-list') {
    const c = capability(w.text, version);
    md = c ? capabilityMarkdown(c, version) : null;
  } else if (kind === 'address-family-list') {
    const sp = ADDRESS_FAMILY_SPECIAL_VALUES.find((x) => x.name === w.text && x.since <= version);
    const f = addressFamily(w.text, version);
    md = sp ? `**none**\n\n${plain(sp.description)}` : f ? addressFamilyMarkdown(f) : null;
  } else if (kind === 'namespace-list') {
    const t = namespaceType(w.text, version);
    md = t ? namespaceMarkdown(t, version) : valueMeaning(key, w.text) ? valueMarkdown(key, w.text, version) : null;
  } else if (key === 'SystemCallArchitectures') {
    md = knownArchitectures(version).includes(w.text) ? architectureMarkdown(w.text) : null;
  } else if (key === 'UMask') {
    md = umaskMarkdown(w.text);
  } else {
    const words = valuesIn(key, version).map((v) => v.value);
    const bool = kind === 'boolean' || kind === 'tristate';
    if (
      valueMeaning(key, w.text) ||
      words.includes(w.text) ||
      (bool && ['yes', 'no', 'true', 'false'].includes(w.text))
    ) {
      md = valueMarkdown(key, w.text, version);
    }
  }
  if (md) return { markdown: md, span };
  // Not a word we know: the directive's own documentation.
  return keyHover(cc, key, w.span, p.entry);
}

function errnoWordMarkdown(word: string, version: number): string | null {
  const sp = ERRNO_SPECIAL_VALUES.find((x) => x.name === word && x.since <= version);
  if (sp) return `**${sp.name}**\n\n${plain(sp.description)}`;
  const bad = ERRNO_NOT_ACCEPTED.find((x) => x.name === word);
  if (bad) return `**${plain(bad.name)}** — not accepted\n\n${plain(bad.description)}`;
  const e = errnoName(word, targetVersion(version));
  return e ? errnoMarkdown(e) : null;
}
