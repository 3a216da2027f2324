/** SARIF 2.1.0 output of `score`, for code scanning: core diagnostics and one result per exposure finding. */
import { batchService } from '../service';
import type { UnitScore } from './score';

const LEVEL: Record<string, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/** `figure`: the figure every exposure of the run is (the run's `properties.figure`, and each result's). */
export function toSarif(
  units: readonly UnitScore[],
  version: string,
  threshold: number | null,
  figure: UnitScore['figure'],
): object {
  const rules = batchService.rules();
  const ruleIndex = new Map(rules.map((r, i) => [r.code, i]));
  const results: object[] = [];
  for (const u of units) {
    const uri = u.file.replace(/^\.\//, '');
    for (const d of u.diagnostics) {
      results.push({
        ruleId: d.code,
        ...(ruleIndex.has(d.code) ? { ruleIndex: ruleIndex.get(d.code) } : {}),
        level: LEVEL[d.severity] ?? 'warning',
        message: { text: d.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri },
              region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
            },
          },
        ],
      });
    }
    if (u.exposure === null) continue;
    for (const s of u.suggestions) {
      const check = u.checks.find((c) => c.json_field === s.json_fields[0]);
      if (!check) continue;
      results.push({
        ruleId: check.code,
        ...(ruleIndex.has(check.code) ? { ruleIndex: ruleIndex.get(check.code) } : {}),
        level: threshold !== null && u.exposure > threshold ? 'warning' : 'note',
        message: {
          text: `${u.unit}: ${check.name}: ${check.description}. Add ${s.setting.replace(/\n/g, ' ')} under [Service]: exposure ${u.exposure.toFixed(1)} → ${s.exposure_after.toFixed(1)}.`,
        },
        locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } } }],
        properties: {
          unit: u.unit,
          figure: u.figure,
          exposure: u.exposure,
          band: u.band,
          exposure_after: s.exposure_after,
        },
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'systemd-hardening',
            version,
            informationUri: 'https://www.freedesktop.org/software/systemd/man/systemd-analyze.html',
            rules: rules.map((r) => ({
              id: r.code,
              shortDescription: { text: r.summary.split('. ')[0]!.replace(/\.$/, '') + '.' },
              fullDescription: { text: r.summary },
              defaultConfiguration: {
                level: r.severity === 'error' ? 'error' : r.severity === 'information' ? 'note' : 'warning',
              },
            })),
          },
        },
        results,
        properties: { figure },
      },
    ],
  };
}
