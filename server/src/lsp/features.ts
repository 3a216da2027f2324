/** Completion and hover: the core's features over the cached analysis, converted to LSP. */
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionParams,
  type Hover,
  type HoverParams,
} from 'vscode-languageserver/node';
import {
  hardeningService,
  type CompletionEntry,
  type DocumentAnalysis,
  type LineIndex,
  type SupportedVersion,
} from '../service';
import { toRange } from './convert';
import type { UnitContext } from './units';

interface Source {
  ctx: UnitContext;
  analysis: DocumentAnalysis;
}

const KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  section: CompletionItemKind.Module,
  directive: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  capability: CompletionItemKind.Constant,
  'syscall-group': CompletionItemKind.Module,
  syscall: CompletionItemKind.Function,
  'address-family': CompletionItemKind.Constant,
  namespace: CompletionItemKind.Constant,
  errno: CompletionItemKind.Constant,
  snippet: CompletionItemKind.Snippet,
};

function locate(
  src: Source,
  line: number,
  character: number,
): { fileIndex: number; offset: number; index: LineIndex } | null {
  const fileIndex = src.ctx.files.findIndex((f) => f.path === src.ctx.path);
  if (fileIndex < 0) return null;
  const index = hardeningService.lineIndex(src.ctx.files[fileIndex]!.text);
  return { fileIndex, offset: index.offsetAt({ line, character }), index };
}

/**
 * `labelDetails`: the client shows a label's description in the list itself (VS Code does; neovim 0.7
 * does not), so the predicted exposure is visible without focusing an item. `detail` keeps it for the rest.
 */
export function completionHandler(
  params: CompletionParams,
  get: (uri: string) => Source | null,
  version: SupportedVersion,
  labelDetails = false,
): CompletionItem[] {
  const src = get(params.textDocument.uri);
  if (!src) return [];
  const at = locate(src, params.position.line, params.position.character);
  if (!at) return [];
  const entries = hardeningService.complete({
    name: src.ctx.name,
    files: src.ctx.files,
    fileIndex: at.fileIndex,
    offset: at.offset,
    version,
  });
  return entries.map((e, i) => {
    const detail = [e.detail, e.exposureAfter ? `exposure ${e.exposureAfter}` : ''].filter(Boolean).join(' · ');
    const item: CompletionItem = {
      label: e.label,
      kind: KIND[e.kind],
      ...(detail ? { detail } : {}),
      ...(labelDetails && e.exposureAfter ? { labelDetails: { description: `exposure ${e.exposureAfter}` } } : {}),
      ...(e.documentation ? { documentation: { kind: MarkupKind.Markdown, value: e.documentation } } : {}),
      textEdit: { range: toRange(e.replace, at.index), newText: e.insertText ?? e.label },
      ...(e.isSnippet ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
      sortText: e.sortText ?? String(i).padStart(5, '0'),
      ...(e.filterText ? { filterText: e.filterText } : {}),
      ...(e.deprecated ? { tags: [1] } : {}),
      ...(e.preselect ? { preselect: true } : {}),
    };
    return item;
  });
}

export function hoverHandler(
  params: HoverParams,
  get: (uri: string) => Source | null,
  version: SupportedVersion,
): Hover | null {
  const src = get(params.textDocument.uri);
  if (!src) return null;
  const at = locate(src, params.position.line, params.position.character);
  if (!at) return null;
  const h = hardeningService.hover({
    name: src.ctx.name,
    files: src.ctx.files,
    fileIndex: at.fileIndex,
    offset: at.offset,
    version,
  });
  if (!h) return null;
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: toRange(h.span, at.index) };
}
