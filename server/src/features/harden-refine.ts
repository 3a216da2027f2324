/**
 * How the recommended drop-in keeps the service running (features/harden.ts): round by round, the lines
 * the version does not take, the lines that trigger a finding that the service would fail, the lines that
 * make a check worse than the unit alone has it, and the lines that change no check are dropped.
 */
import type { SourceFile, UnitModel } from '../model/unit-model';
import { runRules } from '../rules';
import type { Diagnostic } from '../rules/diagnostic';
import { directivesOfCheck } from '../rules/sandbox';
import { score, type Policy, type ScoreResult } from '../exposure';
import type { LeftOpen } from '../knowledge/service-profiles';
import { withDropin } from './harden-files';
import { checkKeys } from './harden-lines';
import { bareText, lineAt, lineText, type Line } from './harden-text';

/** Findings that say the service would fail or lose what it had. */
const HARM = /^(breaks-|weakens-)|^(read-only-pidfile|ambient-outside-bounding-set)$/;

/** At most this many rounds of dropping lines (each round drops at least one, so it ends anyway). */
const MAX_ROUNDS = 64;

function diagKey(d: Diagnostic): string {
  return `${d.code}\u0000${d.file}\u0000${d.message}`;
}

interface Context {
  name: string;
  version: number;
  policy: Policy | undefined;
  base: SourceFile[];
  baseModel: UnitModel;
  baseScore: ScoreResult;
  path: string;
  build: (files: readonly SourceFile[]) => UnitModel;
  scoreFiles: (files: readonly SourceFile[]) => ScoreResult;
}

function badnessByIndex(r: ScoreResult): Map<number, number> {
  return new Map(r.checks.map((c) => [c.index, c.badness ?? 0]));
}

/** Drops lines, round by round, until none harms the service, worsens a check, or repeats what the unit has. */
export function refine(ctx: Context, start: Line[], leftOpen: LeftOpen[]): Line[] {
  let lines = start;
  const baseFindings = new Set(
    runRules(ctx.baseModel)
      .filter((d) => HARM.test(d.code))
      .map(diagKey),
  );
  const baseBadness = badnessByIndex(ctx.baseScore);
  const keys = checkKeys(ctx.version);
  for (let round = 0; round < MAX_ROUNDS && lines.length; round++) {
    const files = withDropin(ctx.base, ctx.path, bareText(lines));
    const model = ctx.build(files);
    // 1. Problems on the drop-in's own lines, and findings that the service would fail.
    const drop = new Map<number, string | null>();
    for (const d of runRules(model)) {
      const harm = HARM.test(d.code);
      if (d.file === ctx.path && (d.severity === 'error' || d.severity === 'warning' || harm)) {
        const i = lineAt(lines, d.span.start);
        if (i >= 0) drop.set(i, harm ? d.message : `systemd ${ctx.version}: ${d.message}`);
      } else if (harm && !baseFindings.has(diagKey(d))) {
        // A finding placed on another file's line: the drop-in's lines of the directives it names.
        lines.forEach((l, i) => {
          if (d.message.includes(`${l.key}=`)) drop.set(i, d.message);
        });
      }
    }
    if (drop.size) {
      for (const [i, why] of drop) if (why !== null) leftOpen.push({ setting: lineText(lines[i]!), why });
      lines = lines.filter((_, i) => !drop.has(i));
      continue;
    }
    // 2. A check the unit alone has better: keep what the unit has.
    const now = score(model, { version: ctx.version, policy: ctx.policy });
    if (now.refused || !now.exposure) return [];
    const worse = now.checks.filter((c) => (c.badness ?? 0) > (baseBadness.get(c.index) ?? 0));
    if (worse.length) {
      const names = new Set(worse.flatMap((c) => directivesOfCheck(c.name)));
      let next = lines.filter((l) => !names.has(l.key));
      // A check worsened by a line that does not name it (ProtectClock=yes adds DeviceAllow=char-rtc):
      // the line whose removal brings the check back.
      if (next.length === lines.length) next = withoutCulprit(ctx, lines, worse[0]!.index, baseBadness);
      if (next.length === lines.length) return [];
      lines = next;
      continue;
    }
    // 3. Lines that change no check: the unit has them already, or another line covers them.
    const reduced = withoutRedundant(ctx, lines, now, keys);
    if (reduced.length === lines.length) return lines;
    lines = reduced;
  }
  return lines;
}

/** `lines` without the first line whose removal brings check `index` back to the unit's own badness. */
function withoutCulprit(ctx: Context, lines: Line[], index: number, baseBadness: Map<number, number>): Line[] {
  for (let i = 0; i < lines.length; i++) {
    const trial = lines.filter((_, j) => j !== i);
    const r = trial.length ? ctx.scoreFiles(withDropin(ctx.base, ctx.path, bareText(trial))) : ctx.baseScore;
    const c = r.checks.find((x) => x.index === index);
    if (!r.refused && c && (c.badness ?? 0) <= (baseBadness.get(index) ?? 0)) return trial;
  }
  return lines;
}

function sameChecks(a: ScoreResult, b: ScoreResult): boolean {
  if (a.exposure?.tenths !== b.exposure?.tenths || a.checks.length !== b.checks.length) return false;
  const bb = badnessByIndex(b);
  return a.checks.every((c) => (c.badness ?? 0) === (bb.get(c.index) ?? 0));
}

function withoutRedundant(ctx: Context, lines: Line[], now: ScoreResult, keys: Set<string>): Line[] {
  let out = lines;
  for (let i = out.length - 1; i >= 0; i--) {
    if (!keys.has(out[i]!.key)) continue;
    const trial = out.filter((_, j) => j !== i);
    const r = trial.length ? ctx.scoreFiles(withDropin(ctx.base, ctx.path, bareText(trial))) : ctx.baseScore;
    if (!r.refused && sameChecks(r, now)) out = trial;
  }
  return out;
}
