/** `systemd-hardening check`: syntax, directive and value diagnostics of unit files and drop-ins. */
import { analyzeUnit, LineIndex, type Diagnostic, type SupportedVersion } from '../service';
import { expandPaths, tryLoadUnit } from './load';

export interface CliDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Diagnostic['severity'];
  code: string;
  message: string;
}

export interface FileReport {
  file: string;
  diagnostics: CliDiagnostic[];
}

export function toCli(d: Diagnostic, index: LineIndex): CliDiagnostic {
  const s = index.positionAt(d.span.start);
  const e = index.positionAt(d.span.end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, severity: d.severity, code: d.code, message: d.message };
}

/** Checks each path; unreadable ones go to `errors` and the rest are still checked. */
export function checkPaths(paths: readonly string[], version: SupportedVersion): { reports: FileReport[]; errors: string[] } {
  const { files, errors } = expandPaths(paths, ['.service', '.socket', '.timer', '.path', '.mount', '.automount', '.swap', '.target', '.slice', '.scope', '.conf']);
  const reports: FileReport[] = [];
  for (const given of files) {
    const unit = tryLoadUnit(given, errors);
    if (!unit) continue;
    const analysis = analyzeUnit({ name: unit.name, files: unit.files, version });
    const own = analysis.model.files.find((f) => f.path === given);
    const index = new LineIndex(own?.tree.text ?? '');
    reports.push({ file: given, diagnostics: analysis.diagnostics.filter((d) => d.file === given).map((d) => toCli(d, index)) });
  }
  return { reports, errors };
}

export function formatText(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    for (const d of r.diagnostics) lines.push(`${r.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
