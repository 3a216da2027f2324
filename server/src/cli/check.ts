/** `systemd-hardening check`: syntax, directive and value diagnostics of unit files and drop-ins. */
import {
  batchService,
  type Diagnostic,
  type Figure,
  type LineIndex,
  type SupportedVersion,
  type UnitAnalysis,
  type UnitScope,
} from '../service';
import { Loader, LoadError, UNIT_SUFFIXES } from './load';

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
  return {
    line: s.line + 1,
    column: s.character + 1,
    endLine: e.line + 1,
    endColumn: e.character + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
}

/**
 * Checks each path; unreadable ones go to `errors` and the rest are still checked. Files of the same
 * unit (a unit file and its drop-ins) are loaded and analysed once, and reported file by file.
 */
export function checkPaths(
  paths: readonly string[],
  version: SupportedVersion,
  scope?: UnitScope,
  figure?: Figure,
): { reports: FileReport[]; errors: string[] } {
  const loader = new Loader(scope);
  const { files, errors } = loader.expand(paths, [...UNIT_SUFFIXES, '.conf'], false);
  const reports: FileReport[] = [];
  const analyses = new Map<number, Analysed>();
  for (const unit of loader.loadEach(files)) {
    if (unit instanceof LoadError) {
      if (!unit.repeated) errors.push(unit.message);
      continue;
    }
    errors.push(...unit.problems);
    let analysed = analyses.get(unit.unitId);
    if (!analysed) {
      analysed = byFile(
        batchService.analyzeUnit({
          name: unit.name,
          files: unit.files,
          version,
          figure,
          scope: unit.scope,
          commandExists: unit.commandExists,
        }),
      );
      analyses.set(unit.unitId, analysed);
    }
    if (unit.lastOfUnit) analyses.delete(unit.unitId);
    const own = analysed.files.get(unit.own);
    const index = batchService.lineIndex(own?.tree.text ?? '');
    reports.push({
      file: unit.given,
      diagnostics: (analysed.diagnostics.get(unit.own) ?? []).map((d) => toCli(d, index)),
    });
  }
  return { reports, errors };
}

interface Analysed {
  analysis: UnitAnalysis;
  /** The analysis's diagnostics by file. */
  diagnostics: Map<string, Diagnostic[]>;
  /** The analysis's files by path. */
  files: Map<string, UnitAnalysis['model']['files'][number]>;
}

function byFile(analysis: UnitAnalysis): Analysed {
  const diagnostics = new Map<string, Diagnostic[]>();
  for (const d of analysis.diagnostics) {
    const list = diagnostics.get(d.file);
    if (list) list.push(d);
    else diagnostics.set(d.file, [d]);
  }
  return { analysis, diagnostics, files: new Map(analysis.model.files.map((f) => [f.path, f])) };
}

export function formatText(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    for (const d of r.diagnostics) lines.push(`${r.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
