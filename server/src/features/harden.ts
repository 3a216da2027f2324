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
 *
 * This file is the entry; the first lines are in harden-lines.ts, the dropping in harden-refine.ts, the
 * checks to run afterwards in harden-verify.ts (and the profile choice, the files and the text in
 * harden-select.ts, harden-files.ts, harden-text.ts).
 */
import type { Figure } from '../knowledge/figures';
import { figureOf } from './figures';
import { buildUnit } from '../model/build';
import type { SourceFile, UnitModel } from '../model/unit-model';
import type { UnitFileTree } from '../syntax/tree';
import type { UnitScope } from '../model/scope';
import { score, type Policy, type ScoreResult } from '../exposure';
import type { LeftOpen } from '../knowledge/service-profiles';
import { hardeningDropinPath } from './code-actions';
import { withDropin, withoutHardening } from './harden-files';
import { notAlreadySet, profileLines, safeLines, vouched } from './harden-lines';
import { refine } from './harden-refine';
import { selectProfile } from './harden-select';
import { bareText, dropinText } from './harden-text';
import { runningFigure, verifyList } from './harden-verify';

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

/**
 * The largest unit (all its files, in lines) that gets a recommended drop-in. Working one out analyses
 * the unit a few hundred times, so its cost grows with the unit's size (16,000 lines took 12 s); real
 * units have tens of lines, and a unit beyond this is generated or hostile. Its exposure is still scored.
 */
export const MAX_HARDEN_LINES = 2000;

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
