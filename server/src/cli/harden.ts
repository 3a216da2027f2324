/**
 * `systemd-hardening harden`: the recommended drop-in (NAME.service.d/hardening.conf) of each unit,
 * with its exposure before and after, as a summary, JSON or the bare file; `--write` creates the file.
 * Units are loaded exactly as `score` loads them (load.ts); the recommendation is the core's.
 */
import {
  batchService,
  type Figure,
  type HardenResult,
  type Policy,
  type SupportedVersion,
  type UnitScope,
} from '../service';
import { readRegularFile } from '../io/read-file';
import { writeNewFile } from '../io/write-file';
import { forEachLoaded } from './load';
import { looksBinary } from './score';
import { figureLabel } from './figure';

export interface HardenCliOptions {
  version: SupportedVersion;
  /** The figure the exposures are (cli/figure.ts); the release's default when left out. */
  figure?: Figure;
  policy?: Policy;
  root?: string;
  profile?: string;
  /** --user or --system. */
  scope?: UnitScope;
}

export interface UnitHarden extends HardenResult {
  /** The path given (in root mode: the unit file's path inside the root), as `score` reports it. */
  file: string;
  /** The figure of exposureBefore and exposureAfter. */
  figure: Figure;
}

export function hardenPaths(
  paths: readonly string[],
  options: HardenCliOptions,
): { results: UnitHarden[]; errors: string[] } {
  const results: UnitHarden[] = [];
  const errors: string[] = [];
  const figure = options.figure ?? batchService.defaultFigure(options.version);
  forEachLoaded(paths, options, errors, (unit) => {
    errors.push(...unit.problems);
    const own = unit.files.find((f) => f.path === unit.own);
    if (own && looksBinary(own.text)) {
      errors.push(`${unit.given}: not a unit file (binary data: NUL bytes or invalid UTF-8)`);
      return;
    }
    const r = batchService.hardenUnit(
      {
        name: unit.name,
        files: unit.files,
        version: options.version,
        figure,
        scope: unit.scope,
        commandExists: unit.commandExists,
      },
      { profile: options.profile, policy: options.policy },
    );
    results.push({ file: unit.given, figure, ...r });
  });
  return { results, errors };
}

/** The JSON of one unit: snake_case keys, as documented. */
export function toJson(r: UnitHarden): Record<string, unknown> {
  return {
    file: r.file,
    unit: r.unit,
    figure: r.figure,
    profile: r.profile,
    dropin_path: r.dropinPath,
    dropin: r.dropin,
    exposure_before: r.exposureBefore,
    exposure_after: r.exposureAfter,
    left_open: r.leftOpen,
    verify: r.verify,
    ...(r.error ? { error: r.error } : {}),
  };
}

function indent(text: string, by: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

/** A summary an administrator reads: before -> after, the profile, the drop-in, what is left open, what to check. */
export function toText(r: UnitHarden, version: number): string {
  const out: string[] = [`${r.unit} (${r.file})`];
  if (r.error) return `${out[0]}\n  cannot harden: ${r.error}\n`;
  const fmt = (x: number | null): string => (x === null ? '?' : x.toFixed(1));
  out.push(
    `  exposure: ${fmt(r.exposureBefore)} ${r.bandBefore ?? ''} -> ${fmt(r.exposureAfter)} ${r.bandAfter ?? ''} (${figureLabel(r.figure, version)})`.replace(
      / +\(/,
      ' (',
    ),
  );
  out.push(
    `  profile:  ${r.profile ? `${r.profile} (${r.profileTitle})` : 'none matches: only settings that suit any service'}`,
  );
  if (r.dropin) {
    out.push(`  drop-in:  ${r.dropinPath}`, '', indent(r.dropin, '    '), '');
  } else out.push('  drop-in:  nothing to add: the unit already has every setting the profile would add');
  if (r.leftOpen.length) {
    out.push('  left open:');
    for (const l of r.leftOpen) out.push(`    - ${l.setting}: ${l.why}`);
  }
  if (r.verify.length) {
    out.push('  verify after applying:');
    for (const v of r.verify) out.push(`    - ${v}`);
  }
  return out.join('\n') + '\n';
}

/**
 * Writes each result's drop-in where it goes (under `root` in root mode): created with its folders;
 * an identical file is left as it is; a different one is never replaced. Returns messages and whether
 * a write was refused or failed.
 */
export function writeDropins(
  results: readonly UnitHarden[],
  root: string | undefined,
): { messages: string[]; failed: boolean } {
  const messages: string[] = [];
  let failed = false;
  for (const r of results) {
    if (r.error || !r.dropin || !r.dropinPath) continue;
    const path = root ? `${root.replace(/\/+$/, '')}${r.dropinPath}` : r.dropinPath;
    const existing = readRegularFile(path);
    if (existing.ok) {
      if (existing.bytes.toString('utf8') === r.dropin) messages.push(`${path} is already up to date`);
      else {
        messages.push(
          `${path} exists and differs from the recommended drop-in: not replaced (compare with --format dropin, then remove or merge it by hand)`,
        );
        failed = true;
      }
      continue;
    }
    if (existing.failure !== 'missing') {
      messages.push(`${path}: ${existing.reason}: not replaced`);
      failed = true;
      continue;
    }
    const w = writeNewFile(path, r.dropin);
    if (w.ok) messages.push(`wrote ${path}`);
    else {
      messages.push(`cannot write ${path}: ${w.reason}`);
      failed = true;
    }
  }
  return { messages, failed };
}
