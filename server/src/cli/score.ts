/**
 * `systemd-hardening score`: the exposure of units as `systemd-analyze security` computes it, with
 * suggestions, as a table, JSON or SARIF. Files are read here; the scoring is the core's.
 */
import { batchService, type Figure, type Policy, type SupportedVersion, type UnitScope } from '../service';
import { toCli, type CliDiagnostic } from './check';
import { forEachLoaded, type LoadedUnit } from './load';
import { toWireReport, type WireReport } from '../wire/exposure-report';

/** One unit of `score --format json`: the report in its JSON shape, between the file given and its diagnostics. */
export interface UnitScore extends WireReport {
  file: string;
  diagnostics: CliDiagnostic[];
}

export interface ScoreRun {
  results: UnitScore[];
  /** Problems with the input itself (missing files, folders without units, binary junk). */
  errors: string[];
}

/** Text that is not a unit file at all: NUL bytes or bytes that are not UTF-8. */
export function looksBinary(text: string): boolean {
  return /\u0000|[\udc80-\udcff]/.test(text);
}

function scoreFiles(
  file: string,
  own: string,
  unit: Pick<LoadedUnit, 'name' | 'files' | 'scope' | 'commandExists'>,
  options: ScoreOptions,
): UnitScore {
  const { name, files, scope, commandExists } = unit;
  const { version, figure, policy } = options;
  const { model, diagnostics } = batchService.analyzeUnit({ name, files, version, figure, scope, commandExists });
  const report = batchService.exposureReport(model, policy);
  const ownFile = model.files.find((f) => f.path === own) ?? model.files[0];
  const index = batchService.lineIndex(ownFile?.tree.text ?? '');
  return {
    file,
    ...toWireReport(report),
    diagnostics: diagnostics.filter((d) => d.file === (ownFile?.path ?? own)).map((d) => toCli(d, index)),
  };
}

export interface ScoreOptions {
  version: SupportedVersion;
  /** The figure to give (cli/figure.ts); the release's default when left out. */
  figure?: Figure;
  policy?: Policy;
  root?: string;
  /** --user or --system. */
  scope?: UnitScope;
}

/** Scores one loaded unit; problems with its files go to `errors`. */
function scoreLoaded(unit: LoadedUnit, options: ScoreOptions, errors: string[]): UnitScore {
  errors.push(...unit.problems);
  const own = unit.files.find((f) => f.path === unit.own);
  if (own && looksBinary(own.text))
    errors.push(`${unit.given}: not a unit file (binary data: NUL bytes or invalid UTF-8)`);
  return scoreFiles(unit.given, unit.own, unit, options);
}

/**
 * Scores the units of `paths` one by one, handing each result to `each` as soon as it is ready (so a
 * long run keeps nothing it has printed); returns the problems with the input, in argument order.
 */
export function forEachScore(paths: readonly string[], options: ScoreOptions, each: (r: UnitScore) => void): string[] {
  const errors: string[] = [];
  forEachLoaded(paths, options, errors, (unit) => each(scoreLoaded(unit, options, errors)));
  return errors;
}

export function scorePaths(paths: readonly string[], options: ScoreOptions): ScoreRun {
  const results: UnitScore[] = [];
  const errors = forEachScore(paths, options, (r) => results.push(r));
  return { results, errors };
}
