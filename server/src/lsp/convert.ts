/** The one place where LSP types meet the core's plain data. */
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { Diagnostic, LineIndex, Severity } from '../service';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(d: Diagnostic, index: LineIndex): LspDiagnostic {
  return {
    range: { start: index.positionAt(d.span.start), end: index.positionAt(d.span.end) },
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'systemd-hardening',
    message: d.message,
  };
}
