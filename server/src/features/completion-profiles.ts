/**
 * The hardening profiles (profiles.ts) as completion entries: a profile's lines are [Service] settings,
 * so they are offered only where they land in a [Service] section. Inside [Service], on a new line;
 * and at the end of a file that has no [Service] section (a new drop-in, a unit still being written),
 * with the `[Service]` header in front. Nowhere else: in [Install] or [Unit] of a file that has a
 * [Service] section further on, the lines would be ignored or misplaced. Each profile brings only the
 * lines the target version takes (no ProtectProc= for 239).
 */
import type { Span } from '../syntax/tree';
import type { CursorContext } from './cursor-context';
import type { CompletionEntry } from './completion-common';
import { PROFILES, profileLines, snippetBody } from './profiles';

/** Nothing but blank lines after the cursor's line. */
function onLastLine(text: string, offset: number): boolean {
  let end = text.length;
  while (end > offset && /[ \t\n\r\0]/.test(text[end - 1]!)) end--;
  for (let i = offset; i < end; i++) if (text[i] === '\n' || text[i] === '\r' || text[i] === '\0') return false;
  return true;
}

/** Where a profile may be inserted at the cursor, and whether it needs a `[Service]` header. */
export function profilePlace(cc: CursorContext): { header: boolean } | null {
  if (cc.place.kind !== 'key' || cc.place.hasEquals || !cc.validSections.includes('Service')) return null;
  if (cc.section?.name === 'Service') return { header: false };
  if (cc.tree.sections.some((s) => s.name === 'Service')) return null;
  return onLastLine(cc.tree.text, cc.offset) ? { header: true } : null;
}

/** One entry per profile, replacing the word being typed, or none where a profile does not belong. */
export function profileEntries(cc: CursorContext, replace: Span): CompletionEntry[] {
  const where = profilePlace(cc);
  if (!where) return [];
  const eol = cc.tree.text.includes('\r\n') ? '\r\n' : '\n';
  return PROFILES.map((p) => {
    const body = snippetBody(p, cc.version);
    const lines = profileLines(p, cc.version);
    return {
      label: `harden-${p.id}`,
      kind: 'snippet',
      detail: `Hardening profile: ${p.title} (${lines.length} settings${where.header ? ', with a [Service] header' : ''})`,
      documentation: `**${p.title}**\n\n${p.description}\n\n\`\`\`ini\n${where.header ? '[Service]\n' : ''}${lines.join('\n')}\n\`\`\``,
      insertText: (where.header ? ['[Service]', ...body] : body).join(eol),
      isSnippet: true,
      replace,
      filterText: `harden-${p.id}`,
      sortText: `9harden-${p.id}`,
    };
  });
}
