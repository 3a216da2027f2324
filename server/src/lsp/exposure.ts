/**
 * The exposure a document's unit shows outside the diagnostics: the code lens on [Service] (exposure,
 * band, how many suggestions, the safe set's figure) and the `systemdHardening/exposure` request (the
 * whole report, for the check table).
 */
import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { FIGURE_WORDS, type ExposureParams, type ExposureResult } from '../../../protocol/protocol';
import { hardeningService } from '../service';
import { ownFile, type Analyses } from './analyses';
import { toExposureResult, toRange } from './convert';

export function codeLensHandler(analyses: Analyses): (params: CodeLensParams) => CodeLens[] {
  return (params) => {
    const entry = analyses.get(params.textDocument.uri);
    const report = entry?.analysis.report;
    if (!entry || !report) return [];
    const own = ownFile(entry);
    const header = own?.tree.sections.find((s) => s.name === 'Service') ?? own?.tree.sections[0];
    if (!own || !header) return [];
    const index = hardeningService.lineIndex(own.tree.text);
    const other = entry.analysis.otherFigure;
    // Where the release's other figure prints another number: both, named ("9.4 UNSAFE in the file, 9.2 UNSAFE once running").
    const figures = other
      ? ` ${FIGURE_WORDS[report.figure]}, ${other.exposure.toFixed(1)} ${other.band} ${FIGURE_WORDS[other.figure]}`
      : '';
    const title =
      report.exposure === null
        ? `systemd would not load ${report.unit}: ${report.error ?? 'refused'}`
        : `Exposure ${report.exposure.toFixed(1)} ${report.band}${figures}${report.suggestions.length ? ` · ${report.suggestions.length} suggestions` : ''}${report.safeSet ? ` · safe set → ${report.safeSet.exposureAfter.toFixed(1)}` : ''}`;
    return [
      {
        range: toRange(header.span, index),
        command: { title, command: 'systemdHardening.showCheckTable', arguments: [params.textDocument.uri] },
      },
    ];
  };
}

export function exposureHandler(analyses: Analyses): (params: ExposureParams) => ExposureResult {
  return (params) => {
    const entry = analyses.get(params.uri);
    const report = entry?.analysis.report;
    if (!entry || !report) return null;
    return toExposureResult(
      report,
      entry.ctx.files.map((f) => entry.ctx.uris.get(f.path) ?? f.path),
      entry.analysis.otherFigure,
    );
  };
}
