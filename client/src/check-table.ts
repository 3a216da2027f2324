/** The full check table of a unit as markdown, like `systemd-analyze security UNIT` prints it. */
import { FIGURE_WORDS, type ExposureResult } from '../../protocol/protocol';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function checkTableMarkdown(report: NonNullable<ExposureResult>): string {
  const lines: string[] = [];
  lines.push(`# Exposure of ${report.unit}`, '');
  if (report.exposure === null) {
    lines.push(`systemd would not load this unit: ${report.error ?? 'refused'}.`);
    return lines.join('\n') + '\n';
  }
  lines.push(
    `**Overall exposure: ${report.exposure.toFixed(1)} ${report.band}**${report.other_figure ? ` ${FIGURE_WORDS[report.figure]}` : ''} (0.0 is locked down, 10.0 wide open)`,
    '',
  );
  const other = report.other_figure;
  if (other)
    lines.push(
      `**${other.exposure.toFixed(1)} ${other.band} ${FIGURE_WORDS[other.figure]}.** ${other.why} The table is the ${report.figure} figure.`,
      '',
    );
  if (report.files.length > 1)
    lines.push(
      `Merged from: ${report.files.map((f) => `\`${decodeURIComponent(f.replace(/^file:\/\//, ''))}\``).join(', ')}`,
      '',
    );
  // The exposure column comes before the long texts, so it stays in view in a narrow preview.
  lines.push('| | check | exposure | what it checks | systemd says |', '|---|---|---|---|---|');
  for (const c of report.checks) {
    const mark = c.set === null ? ' ' : c.set ? '✓' : '✗';
    lines.push(
      `| ${mark} | \`${cell(c.name)}\` | ${c.exposure === null ? '' : c.exposure.toFixed(1)} | ${cell(c.description)} | ${cell(c.systemd_description ?? '')} |`,
    );
  }
  if (report.suggestions.length) {
    lines.push('', '## Suggestions', '', '| add under [Service] | exposure after |', '|---|---|');
    for (const s of report.suggestions)
      lines.push(
        `| \`${cell(s.setting.replace(/\n/g, ' '))}\`${s.safe ? ' (safe)' : ''} | ${s.exposure_after.toFixed(1)} |`,
      );
  }
  if (report.not_suggested.length) {
    lines.push(
      '',
      '## Not suggested',
      '',
      'These would bring a check to its best, but the unit shows they would break it:',
      '',
    );
    for (const n of report.not_suggested) lines.push(`- \`${n.setting.replace(/\n/g, ' ')}\`: ${n.reason}`);
  }
  if (report.safe_set)
    lines.push(
      '',
      `All safe suggestions together: exposure ${report.exposure.toFixed(1)} → ${report.safe_set.exposure_after.toFixed(1)}.`,
    );
  return lines.join('\n') + '\n';
}
