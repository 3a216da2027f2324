/**
 * The exposure part of a directive's hover, rendered from a score result of the unit: the overall
 * exposure and the checks the directive can change.
 */
import type { CheckResult, ScoreResult } from '../exposure';
import { directiveAffects } from './directive-docs';
import { cell, code, plain } from './markdown';

/** The checks of a score result that belong to a directive, in systemd's printed order. */
export function checksFor(name: string, result: ScoreResult): CheckResult[] {
  return result.checks.filter((c) => directiveAffects(name, c.json_field));
}

/**
 * The exposure part of a directive hover: the overall exposure, the checks the directive can
 * change with their badness and exposure share now, and what removing the hovered line would give.
 */
export function exposureMarkdown(
  name: string,
  result: ScoreResult,
  opts: { refusedReason?: string | null; withoutLine?: string | null; userUnit?: boolean } = {},
): string {
  const rows = checksFor(name, result);
  if (!result.exposure || rows.length === 0) return '';
  const parts = [
    opts.userUnit
      ? `**Exposure now:** ${result.exposure.text} ${result.band ?? ''} (systemd-analyze --user security, systemd ${result.version}: scored as a user unit)`
      : `**Exposure now:** ${result.exposure.text} ${result.band ?? ''} (systemd-analyze security, systemd ${result.version})`,
  ];
  if (opts.refusedReason)
    parts.push(
      `systemd would not load the unit as it stands (${plain(opts.refusedReason)}); the numbers assume it loads.`,
    );
  // Failing and not-applicable checks in full, worst first; passing ones listed in full only when few.
  const failing = rows.filter((c) => c.set !== true).sort((a, b) => Number(b.exposure ?? 0) - Number(a.exposure ?? 0));
  const passing = rows.filter((c) => c.set === true);
  const shown = failing.length + passing.length <= 8 ? [...failing, ...passing] : failing;
  if (shown.length) {
    const lines = ['| Check | Badness | Exposure | Now |', '|---|---|---|---|'];
    for (const c of shown) {
      const bad = c.badness === null ? 'n/a' : `${c.badness}/${c.range}`;
      const mark = c.set === null ? '–' : c.set ? '✓' : '✗';
      lines.push(`| ${mark} ${cell(code(c.name))} | ${bad} | ${c.exposure ?? '–'} | ${cell(c.description ?? '')} |`);
    }
    parts.push(lines.join('\n'));
  }
  if (shown.length < rows.length)
    parts.push(`✓ Passing (${passing.length}): ${passing.map((c) => code(c.name)).join(', ')}`);
  if (opts.withoutLine) parts.push(`Without this line: ${opts.withoutLine}`);
  return parts.join('\n\n');
}
