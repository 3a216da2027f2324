/**
 * `systemd-hardening score`: the exposure of units as `systemd-analyze security` computes it, with
 * suggestions, as a table, JSON or SARIF. Files are read here; the scoring is the core's.
 */
import { basename, join } from 'node:path';
import { suggest, type Policy } from '../exposure';
import { exposureReport, type ExposureReport } from '../features/report';
import { analyzeUnit, decodeBytes, FileSet, findDropins, findFragment, LineIndex, systemSearchPath, type SourceFile, type SupportedVersion } from '../service';
import { toCli, type CliDiagnostic } from './check';
import { expandPaths, readText, tryLoadUnit } from './load';
import { readdirSync, statSync } from 'node:fs';

export interface UnitScore extends ExposureReport {
  file: string;
  diagnostics: CliDiagnostic[];
}

export interface ScoreRun {
  results: UnitScore[];
  /** Problems with the input itself (missing files, folders without units, binary junk). */
  errors: string[];
}

/** Text that is not a unit file at all: NUL bytes or bytes that are not UTF-8. */
function looksBinary(text: string): boolean {
  return /\u0000|[\udc80-\udcff]/.test(text);
}

function scoreFiles(given: string, name: string, files: SourceFile[], version: SupportedVersion, policy: Policy | undefined): UnitScore {
  const { model, diagnostics } = analyzeUnit({ name, files, version });
  const result = suggest(model, { version, policy });
  const own = model.files.find((f) => f.path === given) ?? model.files[0];
  const index = new LineIndex(own?.tree.text ?? '');
  return {
    file: given,
    ...exposureReport(result),
    diagnostics: diagnostics.filter((d) => d.file === (own?.path ?? given)).map((d) => toCli(d, index)),
  };
}

function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Resolves unit names under `root` as `systemd-analyze --offline=yes --root=ROOT NAME` does. */
function scoreUnderRoot(root: string, names: readonly string[], version: SupportedVersion, policy: Policy | undefined, errors: string[]): UnitScore[] {
  const searchPath = systemSearchPath(version);
  const relative = (p: string): string => p.slice(root.replace(/\/+$/, '').length);
  const all = searchPath.flatMap((d) => listTree(join(root, d))).map(relative);
  const set = new FileSet(all);
  const out: UnitScore[] = [];
  for (const arg of names) {
    const name = basename(arg);
    const fragment = findFragment(name, set, searchPath);
    if (!fragment) {
      errors.push(`unit ${name} not found under ${root}`);
      continue;
    }
    const paths = [fragment, ...findDropins(name, set, searchPath)];
    const files = paths.map((p) => ({ path: p, text: readText(join(root, p)) }));
    out.push(scoreFiles(fragment, name, files, version, policy));
  }
  return out;
}

export interface ScoreOptions {
  version: SupportedVersion;
  policy?: Policy;
  root?: string;
}

/** One unit file given by path, with the drop-ins beside it; read failures go to `errors`. */
function scoreGiven(given: string, options: ScoreOptions, errors: string[]): UnitScore | null {
  const unit = tryLoadUnit(given, errors);
  if (!unit) return null;
  const own = unit.files.find((f) => f.path === given);
  if (own && looksBinary(own.text)) errors.push(`${given}: not a unit file (binary data: NUL bytes or invalid UTF-8)`);
  return scoreFiles(given, unit.name, unit.files, options.version, options.policy);
}

/**
 * Scores the units of `paths` one by one, handing each result to `each` as soon as it is ready (so a
 * long run keeps nothing it has printed); returns the problems with the input, in argument order.
 */
export function forEachScore(paths: readonly string[], options: ScoreOptions, each: (r: UnitScore) => void): string[] {
  const errors: string[] = [];
  if (options.root) {
    for (const r of scoreUnderRoot(options.root, paths, options.version, options.policy, errors)) each(r);
    return errors;
  }
  const { files, errors: expandErrors } = expandPaths(paths, ['.service']);
  errors.push(...expandErrors);
  for (const given of files) {
    const r = scoreGiven(given, options, errors);
    if (r) each(r);
  }
  return errors;
}

export function scorePaths(paths: readonly string[], options: ScoreOptions): ScoreRun {
  const results: UnitScore[] = [];
  const errors = forEachScore(paths, options, (r) => results.push(r));
  return { results, errors };
}

export { decodeBytes };
