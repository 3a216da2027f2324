/** Where LSP and protocol types meet the core's plain data (completion and hover convert in features.ts). */
import {
  CodeActionKind,
  DiagnosticSeverity,
  type CodeAction as LspCodeAction,
  type Diagnostic as LspDiagnostic,
  type Range,
  type TextDocumentEdit,
  type CreateFile,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { ExposureResult, FigureExposure, HardeningSettings } from '../../../protocol/protocol';
import { toWireReport } from '../wire/exposure-report';
import {
  hardeningService,
  type CodeAction,
  type Diagnostic,
  type ExposureReport,
  type FigureScore,
  type LineIndex,
  type Severity,
  type Span,
} from '../service';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(span: Span, index: LineIndex): Range {
  return { start: index.positionAt(span.start), end: index.positionAt(span.end) };
}

/** A core diagnostic as LSP; null when the settings turn its rule off. */
export function toLspDiagnostic(
  d: Diagnostic,
  index: LineIndex,
  settings: HardeningSettings,
  docsUrl: string | null,
): LspDiagnostic | null {
  const configured = settings.severity[d.code];
  if (configured === 'off') return null;
  const severity = configured ?? d.severity;
  return {
    range: toRange(d.span, index),
    severity: SEVERITY[severity],
    code: d.code,
    ...(docsUrl ? { codeDescription: { href: `${docsUrl}#${d.code}` } } : {}),
    source: 'systemd-hardening',
    message: d.message,
  };
}

export interface FileTexts {
  /** Current text of a file of the unit, by path (null for files that do not exist yet). */
  text(path: string): string | null;
  uri(path: string): string;
  /** The open document's version, for versioned edits. */
  version(path: string): number | null;
}

/** The client command behind "Harden this unit…" (client/src/harden.ts); its argument is the document's URI. */
export const HARDEN_COMMAND = 'systemdHardening.hardenUnit';

/** A core code action as an LSP one, with edits that create new files when the client supports it. */
export function toLspCodeAction(
  a: CodeAction,
  files: FileTexts,
  canCreate: boolean,
  diagnostics: LspDiagnostic[],
  documentUri?: string,
): LspCodeAction | null {
  if (a.command === 'harden') {
    if (!documentUri) return null;
    return {
      title: a.title,
      kind: CodeActionKind.QuickFix,
      ...(a.preferred ? { isPreferred: true } : {}),
      ...(diagnostics.length ? { diagnostics } : {}),
      command: { title: a.title, command: HARDEN_COMMAND, arguments: [documentUri] },
    };
  }
  const byFile = new Map<string, CodeAction['edits'][number][]>();
  for (const e of a.edits) {
    const list = byFile.get(e.file);
    if (list) list.push(e);
    else byFile.set(e.file, [e]);
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  const changes: Record<string, TextEdit[]> = {};
  for (const [path, edits] of byFile) {
    const text = files.text(path);
    const uri = files.uri(path);
    if (text === null) {
      if (!canCreate) return null;
      documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
    }
    const index = hardeningService.lineIndex(text ?? '');
    const lspEdits = edits.map((e) => ({ range: toRange(e.span, index), newText: e.newText }));
    documentChanges.push({ textDocument: { uri, version: files.version(path) }, edits: lspEdits });
    changes[uri] = lspEdits;
  }
  const edit: WorkspaceEdit = canCreate ? { documentChanges } : { changes };
  return {
    title: a.title,
    kind:
      a.kind === 'quickfix'
        ? CodeActionKind.QuickFix
        : a.kind === 'refactor'
          ? CodeActionKind.RefactorRewrite
          : CodeActionKind.Source,
    ...(a.preferred ? { isPreferred: true } : {}),
    ...(diagnostics.length ? { diagnostics } : {}),
    edit,
  };
}

/** The answer to `systemdHardening/exposure`: the report, the unit's files (as URIs), and the other figure where it differs. */
export function toExposureResult(r: ExposureReport, files: string[], other: FigureScore | null): ExposureResult {
  return { ...toWireReport(r), files, ...(other ? { other_figure: toFigureExposure(other) } : {}) };
}

/** The other figure in its wire shape (protocol/protocol.ts FigureExposure). */
export function toFigureExposure(f: FigureScore): FigureExposure {
  const { figure, exposure, band, why, ...rest } = f;
  void (rest satisfies Record<string, never>);
  return { figure, exposure, band, why };
}
