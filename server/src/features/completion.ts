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
 * This file completes section and directive names; values are completion-values.ts's, the hardening
 * profiles completion-profiles.ts's, and the entries' shape and shared text helpers completion-common.ts's.
 *
 * Never throws: any input gives a (possibly empty) list.
 */
import { type DirectiveInfo, directivesIn, setting, valueUnavailable, valuesIn } from '../knowledge/directives';
import type { Span } from '../syntax/tree';
import { type CursorContext, type FeatureContext, locate, type Place } from './cursor-context';
import { type Exposure, scopeKey, UnitAtCursor } from './what-if';
import { directiveDoc, isSandboxDirective } from './directive-docs';
import { directiveMarkdown, sectionMarkdown } from './directive-markdown';
import { arrow } from './markdown';
import { valueEntries } from './completion-values';
import { type CompletionEntry, mayMatch } from './completion-common';
import { profileEntries } from './completion-profiles';

export type { FeatureContext } from './cursor-context';
export { type CompletionEntry, type CompletionKind, mayMatch } from './completion-common';

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
        if (!cc.section) return [...sectionEntries(cc, p.span, false), ...profileEntries(cc, p.span)];
        return [...directiveEntries(cc, p, opts), ...profileEntries(cc, p.span)];
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
      detail: here
        ? 'already in this file (a second header merges into the first)'
        : `section of .${cc.unitType ?? 'service'} units`,
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

function directiveEntries(
  cc: CursorContext,
  place: Extract<Place, { kind: 'key' }>,
  opts: { exposure: boolean },
): CompletionEntry[] {
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
    // the best value, unless it is a word this version does not take
    const best = doc?.best !== undefined && !valueUnavailable(d.name, doc.best, version) ? doc.best : undefined;
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
    else if (deprecated && d.deprecated?.advice) entry.detail = `deprecated: use ${d.deprecated.advice}`;

    let improves = false;
    if (unit && before && best !== undefined && isSandboxDirective(d.name) && mayMatch(place.prefix, d.name)) {
      // A single-valued setting whose last assignment already has this value: another one changes nothing.
      const all = isList ? [] : unit.assignmentsOf(section, d.name);
      const same = all.length > 0 && all[all.length - 1]!.value === best;
      const after = same
        ? before
        : unit.exposureWith(
            [
              {
                kind: 'insert',
                at: place.span.start,
                section: cc.section,
                sectionName: section,
                key: d.name,
                value: best,
              },
            ],
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
