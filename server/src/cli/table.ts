/** Text output of `score`: systemd-analyze's check table for one unit; for several, a ranking, most exposed first. */
import type { UnitScore } from './score';
import { figureLabel } from './figure';

const EMOJI: Record<string, string> = {
  PERFECT: '😇',
  SAFE: '😀',
  OK: '🙂',
  MEDIUM: '😐',
  EXPOSED: '🙁',
  UNSAFE: '😨',
  DANGEROUS: '🤢',
};

function pad(s: string, n: number): string {
  const len = [...s].length;
  return len >= n ? s : s + ' '.repeat(n - len);
}

function padStart(s: string, n: number): string {
  const len = [...s].length;
  return len >= n ? s : ' '.repeat(n - len) + s;
}

function fmt(e: number | null): string {
  return e === null ? '' : e.toFixed(1);
}

/** The check table of one unit scored for systemd `version` (its figure is named under the overall line). */
export function unitTable(u: UnitScore, version: number): string {
  const lines: string[] = [];
  if (u.exposure === null) return `${u.file}: systemd would not load ${u.unit}: ${u.error ?? 'refused'}\n`;
  const nameW = Math.max(4, ...u.checks.map((c) => [...c.name].length)) + 2;
  const descW = Math.max(11, ...u.checks.map((c) => [...(c.systemd_description ?? '')].length)) + 2;
  lines.push(`  ${pad('NAME', nameW)}${pad('DESCRIPTION', descW)}EXPOSURE`);
  for (const c of u.checks) {
    const mark = c.set === null ? ' ' : c.set ? '✓' : '✗';
    lines.push(
      `${mark} ${pad(c.name, nameW)}${pad(c.systemd_description ?? '', descW)}${padStart(fmt(c.exposure), 8)}`.trimEnd(),
    );
  }
  lines.push(
    '',
    `→ Overall exposure level for ${u.unit}: ${fmt(u.exposure)} ${u.band} ${EMOJI[u.band ?? ''] ?? ''}`,
    `  (${figureLabel(u.figure, version)})`,
  );
  if (u.suggestions.length) {
    lines.push('', 'Suggestions (add under [Service]; exposure after adding each alone):');
    // Long settings overflow their column rather than pushing every number far to the right.
    const w = Math.min(48, Math.max(...u.suggestions.map((s) => [...s.setting.replace(/\n/g, ' ')].length))) + 2;
    for (const s of u.suggestions) {
      const setting = s.setting.replace(/\n/g, ' ');
      lines.push(
        `  ${pad(setting, w)}${[...setting].length >= w ? ' ' : ''}${fmt(u.exposure)} → ${fmt(s.exposure_after)}${s.safe ? '  (safe)' : ''}`,
      );
    }
    if (u.safe_set)
      lines.push('', `All safe suggestions together: ${fmt(u.exposure)} → ${fmt(u.safe_set.exposure_after)}`);
  }
  if (u.not_suggested.length) {
    lines.push('', 'Not suggested, because the unit shows they would break it:');
    for (const n of u.not_suggested) lines.push(`  ${n.setting.replace(/\n/g, ' ')}: ${n.reason}`);
  }
  for (const d of u.diagnostics) lines.push(`${u.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
  return lines.join('\n') + '\n';
}

export function rankingTable(units: readonly UnitScore[], version: number): string {
  const w = Math.max(4, ...units.map((u) => [...u.unit].length)) + 2;
  const lines = [`${pad('UNIT', w)}EXPOSURE PREDICATE HAPPY`];
  const ranked = [...units].sort((a, b) => (b.exposure ?? 11) - (a.exposure ?? 11) || a.unit.localeCompare(b.unit));
  for (const u of ranked) {
    if (u.exposure === null) lines.push(`${pad(u.unit, w)}       - refused: ${u.error ?? ''}`);
    else
      lines.push(
        `${pad(u.unit, w)}${padStart(fmt(u.exposure), 8)} ${pad(u.band ?? '', 9)} ${EMOJI[u.band ?? ''] ?? ''}`,
      );
  }
  if (units[0]) lines.push(`(${figureLabel(units[0].figure, version)})`);
  return lines.join('\n') + '\n';
}
