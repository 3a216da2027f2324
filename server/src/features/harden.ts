/**
 * The recommended drop-in of a unit (`systemd-hardening harden`, "Harden this unit…"): the tightest
 * NAME.service.d/hardening.conf that the service's profile (knowledge/service-profiles.ts) or, for a
 * service no profile matches, the unit's own evidence supports, and that keeps it running.
 *
 * The lines come from the profile chosen by harden-select.ts, or from the safe set of suggestions
 * (exposure/suggest.ts) when none matches. Then, whatever their source, a line is dropped when
 * - the target version does not accept it (any error or warning on it);
 * - it triggers a breaks-… or weakens-… finding (or read-only-pidfile, ambient-outside-bounding-set) on
 *   the unit with the drop-in: the service would fail (it is listed as left open, with the finding);
 * - it makes one of the unit's checks worse than the unit alone has it (an allow-list SystemCallFilter=
 *   after a vendor's deny-list): what the unit has is kept;
 * - the unit already has it, equally or more strictly: removing it changes no check (or, for a setting
 *   no check reads, the unit has the same value already).
 * The exposures come from scoring the unit's files with the drop-in placed where systemd applies it.
 */
import type { Figure } from '../knowledge/figures';
import { figureOf, otherFigure } from './figures';
import { buildUnit, lastAssignment } from '../model/build';
import { breakageChecker, cutLines } from '../exposure/breakage';
import type { SourceFile, UnitModel } from '../model/unit-model';
import type { UnitFileTree } from '../syntax/tree';
import type { UnitScope } from '../model/scope';
import { runRules } from '../rules';
import type { Diagnostic } from '../rules/diagnostic';
import { directivesOfCheck } from '../rules/sandbox';
import { availabilityNote } from '../rules/directives';
import { lineUnavailable } from '../knowledge/word-availability';
import { assessorsFor, score, suggest, type Policy, type ScoreResult } from '../exposure';
import { PLACEHOLDER, withDefaults, type LeftOpen, type ServiceProfile } from '../knowledge/service-profiles';
import { hardeningDropinPath } from './code-actions';
import { withDropin, withoutHardening } from './harden-files';
import { selectProfile } from './harden-select';
import { bareText, dropinText, groupSafeLines, lineAt, lineText, type Line } from './harden-text';

export interface HardenOptions {
  profile?: string;
  policy?: Policy;
}

export interface HardenResult {
  unit: string;
  profile: string | null;
  profileTitle: string | null;
  dropinPath: string | null;
  dropin: string;
  exposureBefore: number | null;
  exposureAfter: number | null;
  bandBefore: string | null;
  bandAfter: string | null;
  leftOpen: { setting: string; why: string }[];
  verify: string[];
  error?: string;
}

/** The unit as harden needs it (kept small: a unit with its files, scored or checked as a whole). */
export interface HardenInput {
  name: string;
  files: readonly SourceFile[];
  version: number;
  /** The figure to score for; the release's default when left out. */
  figure?: Figure;
  trees?: ReadonlyMap<string, UnitFileTree>;
  /** See UnitInput. */
  scope?: UnitScope;
  commandExists?: (name: string) => boolean;
}

/** Findings that say the service would fail or lose what it had. */
const HARM = /^(breaks-|weakens-)|^(read-only-pidfile|ambient-outside-bounding-set)$/;

/** Path-list settings whose entries the unit may already have one by one. */
const PATH_LISTS = new Set(['ReadWritePaths', 'ReadOnlyPaths', 'InaccessiblePaths', 'ExecPaths', 'NoExecPaths']);

/**
 * The largest unit (all its files, in lines) that gets a recommended drop-in. Working one out analyses
 * the unit a few hundred times, so its cost grows with the unit's size (16,000 lines took 12 s); real
 * units have tens of lines, and a unit beyond this is generated or hostile. Its exposure is still scored.
 */
export const MAX_HARDEN_LINES = 2000;

/** At most this many rounds of dropping lines (each round drops at least one, so it ends anyway). */
const MAX_ROUNDS = 64;

function blank(unit: string, error: string): HardenResult {
  return {
    unit,
    profile: null,
    profileTitle: null,
    dropinPath: null,
    dropin: '',
    exposureBefore: null,
    exposureAfter: null,
    bandBefore: null,
    bandAfter: null,
    leftOpen: [],
    verify: [],
    error,
  };
}

function figure(r: ScoreResult): number | null {
  return r.exposure ? r.exposure.tenths / 10 : null;
}

function diagKey(d: Diagnostic): string {
  return `${d.code}\u0000${d.file}\u0000${d.message}`;
}

function normPath(p: string): string {
  let s = p.replace(/^[-+]+/, '');
  if (s.length > 1) s = s.replace(/\/+$/, '');
  return s.startsWith('/var/run/') || s === '/var/run' ? s.slice(4) : s;
}

export function hardenUnit(input: HardenInput, options: HardenOptions = {}): HardenResult {
  const { name, version } = input;
  const policy = options.policy;
  const build = (files: readonly SourceFile[]): UnitModel =>
    buildUnit(name, files, {
      version,
      figure: input.figure,
      trees: input.trees,
      scope: input.scope,
      commandExists: input.commandExists,
    });
  const scoreFiles = (files: readonly SourceFile[]): ScoreResult => score(build(files), { version, policy });

  const model = build(input.files);
  if (model.type !== 'service') return blank(name, `${name} is not a service: only services have a sandbox to harden`);
  const unitFile = model.files[0];
  if (!unitFile) return blank(name, `${name}: no unit file and no drop-in`);
  const before = score(model, { version, policy });
  if (before.refused || !before.exposure)
    return blank(name, `systemd would not load ${name}: ${before.refused?.reason ?? 'refused'}`);
  const path = hardeningDropinPath(model, unitFile);
  let lineCount = 0;
  for (const f of model.files)
    for (let i = f.tree.text.indexOf('\n'); i >= 0; i = f.tree.text.indexOf('\n', i + 1)) lineCount++;
  if (lineCount > MAX_HARDEN_LINES) {
    return {
      ...blank(
        name,
        `${name} has ${lineCount} lines in its files; a recommended drop-in is worked out for units of at most ${MAX_HARDEN_LINES} lines`,
      ),
      exposureBefore: figure(before),
      bandBefore: before.band,
      dropinPath: path,
    };
  }
  const result: HardenResult = {
    unit: name,
    profile: null,
    profileTitle: null,
    dropinPath: path,
    dropin: '',
    exposureBefore: figure(before),
    exposureAfter: null,
    bandBefore: before.band,
    bandAfter: null,
    leftOpen: [],
    verify: [],
  };

  const base = withoutHardening(input.files);
  const baseModel = build(base);
  const baseScore = score(baseModel, { version, policy });
  if (baseScore.refused || !baseScore.exposure)
    return {
      ...result,
      error: `systemd would not load ${name} without its hardening.conf: ${baseScore.refused?.reason ?? 'refused'}`,
    };
  const selection = selectProfile(baseModel, options.profile);
  if (selection.error) return { ...result, error: selection.error };
  const profile = selection.profile;
  result.profile = profile?.id ?? null;
  result.profileTitle = profile?.title ?? null;

  const leftOpen: LeftOpen[] = [];
  const start = profile ? profileLines(profile, version, leftOpen) : safeLines(baseModel, version, policy, leftOpen);
  const lines = notAlreadySet(baseModel, vouched(baseModel, profile, start.lines, leftOpen));
  const kept = refine({ name, version, policy, base, baseModel, baseScore, path, build, scoreFiles }, lines, leftOpen);

  const afterModel = kept.length ? build(withDropin(base, path, bareText(kept))) : baseModel;
  const after = kept.length ? score(afterModel, { version, policy }) : baseScore;
  result.exposureAfter = figure(after);
  result.bandAfter = after.band;
  const who = profile ? `profile ${profile.id} (${profile.title}): ${selection.why}` : selection.why;
  const header = [
    `Written by systemd-hardening harden for systemd ${version}, ${who}.`,
    // From the unit without this file, so that the text does not change once it is written.
    `Exposure (${figureOf(model) === 'offline' ? 'systemd-analyze security --offline=yes' : 'systemd-analyze security, running'}): ${baseScore.exposure.text} ${baseScore.band} -> ${after.exposure?.text ?? '?'} ${after.band ?? ''}`.trimEnd(),
  ];
  result.dropin = dropinText(header, start.comments, kept);
  result.leftOpen = leftOpen;
  result.verify = verifyList(name, profile, after, runningFigure(afterModel, after, policy));
  return result;
}

function splitLine(line: string, group: number): Line {
  const eq = line.indexOf('=');
  return { key: line.slice(0, eq), value: line.slice(eq + 1), group };
}

/**
 * A profile's lines for the version. Left open instead: a line whose value only the administrator can
 * choose, and a line the version does not take (ProtectProc= before 247, PrivateTmp=disconnected before
 * 257), with the version that has it.
 */
function profileLines(
  profile: ServiceProfile,
  version: number,
  leftOpen: LeftOpen[],
): { comments: string[]; lines: Line[] } {
  const lines: Line[] = [];
  for (const l of profile.leftOpen) leftOpen.push({ setting: l.setting, why: l.why });
  profile.groups.forEach((g, i) => {
    for (const l of g.lines) {
      const unavailable = lineUnavailable('Service', withDefaults(l), version);
      if (unavailable) {
        const line = withDefaults(l);
        const note = availabilityNote(unavailable, version).trim();
        leftOpen.push({ setting: line, why: `systemd ${version} does not take it${note ? `: ${note}` : ''}` });
        continue;
      }
      if (l.search(PLACEHOLDER) >= 0) {
        PLACEHOLDER.lastIndex = 0;
        leftOpen.push({
          setting: withDefaults(l),
          why: `its value depends on the service (${withDefaults(l)} is only an example): add it yourself`,
        });
        continue;
      }
      lines.push(splitLine(l, i));
    }
  });
  return { comments: profile.groups.map((g) => g.comment), lines };
}

/** Without a profile: the safe set of suggestions; the fixes held back are listed as left open. */
function safeLines(
  model: UnitModel,
  version: number,
  policy: Policy | undefined,
  leftOpen: LeftOpen[],
): { comments: string[]; lines: Line[] } {
  const s = suggest(model, { version, policy });
  for (const a of s.avoided ?? []) leftOpen.push({ setting: a.lines.join(' '), why: a.reason });
  const namespaces = assessorsFor(version).filter((a) => a.id.startsWith('RestrictNamespaces=~')).length;
  return groupSafeLines(s.safeSet?.lines ?? [], namespaces);
}

const ON = /^(yes|true|on|1|strict|full|invisible)$/i;
const OFF = /^(no|false|off|0)$/i;

/**
 * Lines the unit itself speaks against. A service profile was written (and booted) for its service, so
 * only a setting the unit turns off on purpose (mariadb's PrivateTmp=false) is kept off. A generic kind
 * only knows what kind of service it is: its lines must also pass what the safe set is held to
 * (exposure/breakage.ts: no PrivateNetwork= for a network user, no MemoryDenyWriteExecute= for a JIT, ...).
 */
function vouched(
  model: UnitModel,
  profile: ServiceProfile | null,
  lines: readonly Line[],
  leftOpen: LeftOpen[],
): Line[] {
  const check = profile?.kind === 'generic' ? breakageChecker(model) : null;
  const out: Line[] = [];
  for (const l of lines) {
    const unitValue = lastAssignment(model, 'Service', l.key)?.value.trim() ?? '';
    let why: string | null = null;
    if (ON.test(l.value) && OFF.test(unitValue)) why = `the unit sets ${l.key}=${unitValue} on purpose`;
    else if (check) why = check(cutLines([lineText(l)]));
    if (why) leftOpen.push({ setting: lineText(l), why });
    else out.push(l);
  }
  return out;
}

/** Directive names some check of the version reads. */
function checkKeys(version: number): Set<string> {
  const out = new Set<string>();
  for (const a of assessorsFor(version)) for (const d of directivesOfCheck(a.id)) out.add(d);
  return out;
}

/**
 * Lines of settings no check reads that the unit already has: the same value, or for a path list the
 * same paths (each path the unit already lists is left out of the line).
 */
function notAlreadySet(model: UnitModel, lines: readonly Line[]): Line[] {
  const out: Line[] = [];
  const checked = checkKeys(model.version);
  for (const l of lines) {
    if (checked.has(l.key)) {
      out.push(l);
      continue;
    }
    const have = (model.settings.get(`Service.${l.key}`) ?? []).map((a) => a.value.trim());
    if (l.key === 'ReadWritePaths')
      for (const a of model.settings.get('Service.ReadWriteDirectories') ?? []) have.push(a.value.trim());
    if (PATH_LISTS.has(l.key)) {
      const known = new Set(have.flatMap((v) => v.split(/\s+/)).map(normPath));
      const rest = l.value.split(/\s+/).filter((p) => p && !known.has(normPath(p)));
      if (rest.length) out.push({ ...l, value: rest.join(' ') });
      continue;
    }
    if (have.length && have[have.length - 1] === l.value.trim()) continue;
    out.push(l);
  }
  return out;
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
function refine(ctx: Context, start: Line[], leftOpen: LeftOpen[]): Line[] {
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

/** What the running manager prints for the unit scored `r` (the other figure where the model's is offline), or null. */
function runningFigure(model: UnitModel, r: ScoreResult, policy: Policy | undefined): string | null {
  if (!r.exposure) return null;
  if (figureOf(model) === 'running') return r.exposure.text;
  const other = otherFigure(model, r, { policy });
  return other?.figure === 'running' ? other.exposure.toFixed(1) : r.exposure.text;
}

function verifyList(
  name: string,
  profile: ServiceProfile | null,
  after: ScoreResult,
  running: string | null,
): string[] {
  const out: string[] = [];
  // A generic kind's checks say NAME for the unit.
  if (profile) for (const v of profile.verify) out.push(v.replace(/\bNAME\b/g, name));
  else
    out.push(
      `systemctl daemon-reload && systemctl restart ${name} && systemctl is-active ${name}`,
      `journalctl -u ${name} -b has no 'Permission denied', 'Read-only file system', 'Operation not permitted' or 'status=31/SYS'`,
      `${name} still does its work (its own health check)`,
    );
  if (after.exposure && running !== null)
    out.push(
      running === after.exposure.text
        ? `systemd-analyze security ${name} prints ${running} once the unit runs with the drop-in`
        : `systemd-analyze security ${name} prints ${running} once the unit runs with the drop-in (the running manager's figure; the file's is ${after.exposure.text})`,
    );
  return out;
}
