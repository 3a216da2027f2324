/**
 * `textDocument/codeAction`: the fixes of the diagnostics in the range, the unit-wide actions, and on
 * [Service] the summary's "Harden this unit…" first.
 */
import { pathToFileURL } from 'node:url';
import type { CodeAction as LspCodeAction, CodeActionParams } from 'vscode-languageserver/node';
import { hardeningService } from '../service';
import type { Advice } from './advice';
import { ownFile, type Analyses, type Cached } from './analyses';
import { toLspCodeAction, type FileTexts } from './convert';
import type { ServerState } from './state';

/** How many diagnostic fixes one code-action request lists when it covers several diagnostics. */
const MAX_FIXES_AT_ONCE = 12;

function fileTexts(state: ServerState, entry: Cached): FileTexts {
  return {
    text: (path) => entry.analysis.model.files.find((f) => f.path === path)?.tree.text ?? null,
    uri: (path) => entry.ctx.uris.get(path) ?? pathToFileURL(path).href,
    version: (path) => {
      const uri = entry.ctx.uris.get(path);
      return uri ? (state.documents.get(uri)?.version ?? null) : null;
    },
  };
}

export function codeActionHandler(
  state: ServerState,
  analyses: Analyses,
  advice: Advice,
): (params: CodeActionParams) => LspCodeAction[] {
  return (params) => {
    const entry = analyses.get(params.textDocument.uri);
    if (!entry) return [];
    const own = ownFile(entry);
    if (!own) return [];
    const index = hardeningService.lineIndex(own.tree.text);
    const span = { start: index.offsetAt(params.range.start), end: index.offsetAt(params.range.end) };
    const files = fileTexts(state, entry);
    const canCreate = state.can.createFiles;
    const out: LspCodeAction[] = [];
    // Fixes for the diagnostics the client asks about (all of them when it names none). Ctrl+. on the
    // [Service] header can touch dozens of sandbox diagnostics: offer the best few, most effective first;
    // each one stays reachable through its own diagnostic.
    const asked = new Set(params.context.diagnostics.map((d) => d.code));
    let fixes = 0;
    for (const action of hardeningService.codeActions(entry.analysis, span)) {
      if (action.diagnosticCode) {
        if (asked.size > 0 && !asked.has(action.diagnosticCode)) continue;
        if (asked.size !== 1 && ++fixes > MAX_FIXES_AT_ONCE) continue;
      }
      const related = action.diagnosticCode
        ? params.context.diagnostics.filter((d) => d.code === action.diagnosticCode)
        : [];
      const lsp = toLspCodeAction(action, files, canCreate, related);
      if (lsp) out.push(lsp);
    }
    // "Harden this unit…": the summary's action, on its [Service] header or when the client names it.
    // (A cursor move is no reason to postpone the pending recommendation: nothing is scheduled from here.)
    const summary = advice.summaryOf(entry)?.diagnostic;
    const fix = summary?.fixes?.[0];
    if (
      summary &&
      fix &&
      (asked.has(summary.code) ||
        (asked.size === 0 && summary.span.start <= span.end && summary.span.end >= span.start))
    ) {
      const related = params.context.diagnostics.filter((d) => d.code === summary.code);
      const lsp = toLspCodeAction(
        { ...fix, kind: 'quickfix', diagnosticCode: summary.code },
        files,
        canCreate,
        related,
        params.textDocument.uri,
      );
      // First: on [Service], Ctrl+. then Enter previews the recommended drop-in.
      if (lsp) out.unshift(lsp);
    }
    const only = params.context.only;
    return only ? out.filter((a) => only.some((k) => a.kind?.startsWith(k))) : out;
  };
}
