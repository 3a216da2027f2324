/**
 * The CLI adapter: files in, text or JSON out, exit codes for CI.
 *   0: no errors; 1: errors found; 2: usage error or unreadable input (other files still checked).
 */
import { batchService, type SupportedVersion, type UnitScope } from '../service';

const { versions: SUPPORTED_VERSIONS, defaultVersion: DEFAULT_VERSION, profiles: SERVICE_PROFILES } = batchService;
/** The supported versions in words: every release from the first to the last (239–262). */
const VERSION_RANGE = `${SUPPORTED_VERSIONS[0]}–${SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1]}`;
import { parseArgs, UsageError } from './args';
import { checkPaths, formatText } from './check';
import { readPolicy } from './policy';
import { forEachScore, scorePaths, type UnitScore } from './score';
import { hardenPaths, toJson, toText, writeDropins } from './harden';
import { rankingTable, unitTable } from './table';
import { toSarif } from './sarif';
import { autoTargetUnder } from './auto-version';
import { FIGURE_OPTIONS, figureOption } from './figure';

const USAGE = `Usage: systemd-hardening <command> [options] PATH...

Commands:
  check   report syntax errors, unknown or misplaced directives and invalid values
  score   the exposure \`systemd-analyze security\` would print, with suggestions
  harden  the recommended drop-in (NAME.service.d/hardening.conf): exposure before -> after,
          what is left open and why, what to verify; --write creates it

Options:
  --format text|json          check: output format (default: text)
  --format table|json|sarif   score: output format (default: table)
  --format text|json|dropin   harden: output format (default: text); dropin prints only the file
  --profile ID                harden: use this profile instead of the one the unit matches
  --write                     harden: create the drop-in (never replaces a different file)
  --systemd-version VERSION   the systemd whose rules apply: ${VERSION_RANGE} (default: ${DEFAULT_VERSION}),
                              or auto: the systemd installed under --root (else on this machine), read
                              from its files; another version scores as the nearest of these, and with
                              none found as ${DEFAULT_VERSION} (stderr says what was found and what is used)
  --running                   the figure of the running manager (systemd-analyze security UNIT on the
                              loaded unit), which counts the mount namespace that PrivateTmp=,
                              ProtectSystem=, ... imply as PrivateMounts=; the only figure before 250
  --offline                   the figure of the file (systemd-analyze security --offline=yes FILE, 250 and
                              later): the default where the release has it
  --policy FILE               score, harden: a --security-policy JSON file (weights and ranges per check)
  --threshold N               score: exit 1 when a unit's exposure is above N (0-100 in tenths as
                              systemd-analyze takes it, e.g. 70; or 0.0-10.0 with a decimal point)
  --root DIR                  score, harden: PATHs are unit names, resolved under DIR's unit search path
  --user, --system            score as a user unit (the user manager's defaults and search path) or a
                              system unit; by default a file in a user unit folder (~/.config/systemd/user,
                              /etc/systemd/user, /usr/lib/systemd/user, ...) is a user unit
  --help                      show this help

Exit codes: 0 fine; 1 errors found, a unit refused, or the threshold exceeded; 2 usage error or bad input.
`;

function parseVersion(v: string | undefined, err: (s: string) => void, root?: string): SupportedVersion {
  if (v === undefined) return DEFAULT_VERSION;
  if (v === 'auto') {
    const target = autoTargetUnder(root);
    err(`systemd-hardening: ${target.message}\n`);
    return target.version;
  }
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!batchService.isSupportedVersion(n))
    throw new UsageError(`unsupported systemd version '${v}': supported versions are ${VERSION_RANGE} and auto`);
  return n;
}

export function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === 'help') {
      out(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === 'score') return scoreCommand(rest, out, err);
    if (command === 'harden') return hardenCommand(rest, out, err);
    if (command !== 'check') throw new UsageError(`unknown command '${command}'`);
    const { options, positional } = parseArgs(rest, {
      format: { value: true, choices: ['text', 'json'] },
      'systemd-version': { value: true },
      ...SCOPE_OPTIONS,
      ...FIGURE_OPTIONS,
      help: { value: false },
    });
    if (options.has('help')) {
      out(USAGE);
      return 0;
    }
    const version = parseVersion(options.get('systemd-version'), err);
    const figure = figureOption(options, version);
    if (positional.length === 0) throw new UsageError('no files given');
    const { reports, errors } = checkPaths(positional, version, scopeOption(options), figure);
    if (options.get('format') === 'json') out(JSON.stringify(reports, null, 2) + '\n');
    else out(formatText(reports));
    for (const e of errors) err(`systemd-hardening: ${e}\n`);
    if (errors.length) return 2;
    return reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`systemd-hardening: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

/** --user / --system, when one is given. */
function scopeOption(options: Map<string, string>): UnitScope | undefined {
  if (options.has('user') && options.has('system')) throw new UsageError('--user and --system exclude each other');
  return options.has('user') ? 'user' : options.has('system') ? 'system' : undefined;
}

const SCOPE_OPTIONS = { user: { value: false }, system: { value: false } } as const;

function parseThreshold(v: string | undefined): number | null {
  if (v === undefined) return null;
  if (/^\d+$/.test(v) && Number(v) <= 100) return Number(v);
  if (/^\d+\.\d$/.test(v) && Number(v) <= 10) return Math.round(Number(v) * 10);
  throw new UsageError(`--threshold must be 0-100 (tenths, as systemd-analyze takes it) or 0.0-10.0, not '${v}'`);
}

function scoreCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const { options, positional } = parseArgs(argv, {
    format: { value: true, choices: ['table', 'json', 'sarif'] },
    'systemd-version': { value: true },
    ...FIGURE_OPTIONS,
    policy: { value: true },
    threshold: { value: true },
    root: { value: true },
    ...SCOPE_OPTIONS,
    help: { value: false },
  });
  if (options.has('help')) {
    out(USAGE);
    return 0;
  }
  const version = parseVersion(options.get('systemd-version'), err, options.get('root'));
  const figure = figureOption(options, version);
  const threshold = parseThreshold(options.get('threshold'));
  const policy = readPolicy(options.get('policy'), version);
  if (positional.length === 0) throw new UsageError('no units given');
  const root = options.get('root');
  const scope = scopeOption(options);
  const format = options.get('format') ?? 'table';
  let results: Array<Pick<UnitScore, 'file' | 'unit' | 'exposure' | 'error'>>;
  let errors: string[];
  if (format === 'json') {
    // One unit per line (compact, still one array: `jq .` pretty-prints it), written as it is scored.
    const seen: typeof results = [];
    let text = '[';
    errors = forEachScore(positional, { version, figure, policy, root, scope }, (r) => {
      text += `${seen.length ? ',' : ''}\n${JSON.stringify(r)}`;
      if (text.length >= 1 << 16) {
        out(text);
        text = '';
      }
      seen.push({ file: r.file, unit: r.unit, exposure: r.exposure, error: r.error });
    });
    out(`${text}${seen.length ? '\n' : ''}]\n`);
    results = seen;
  } else {
    const run = scorePaths(positional, { version, figure, policy, root, scope });
    errors = run.errors;
    results = run.results;
    if (format === 'sarif')
      out(
        JSON.stringify(toSarif(run.results, '0.1.0', threshold === null ? null : threshold / 10, figure), null, 2) +
          '\n',
      );
    else if (run.results.length === 1) out(unitTable(run.results[0]!, version));
    else if (run.results.length > 1) out(rankingTable(run.results, version));
  }
  for (const e of errors) err(`systemd-hardening: ${e}\n`);
  for (const r of results)
    if (r.exposure === null)
      err(`systemd-hardening: ${r.file}: systemd would not load ${r.unit}: ${r.error ?? 'refused'}\n`);
  if (errors.length) return 2;
  if (results.some((r) => r.exposure === null)) return 1;
  if (threshold !== null && results.some((r) => r.exposure !== null && Math.round(r.exposure * 10) > threshold))
    return 1;
  return 0;
}

function hardenCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const { options, positional } = parseArgs(argv, {
    format: { value: true, choices: ['text', 'json', 'dropin'] },
    'systemd-version': { value: true },
    ...FIGURE_OPTIONS,
    policy: { value: true },
    profile: { value: true },
    root: { value: true },
    ...SCOPE_OPTIONS,
    write: { value: false },
    help: { value: false },
  });
  if (options.has('help')) {
    out(USAGE);
    return 0;
  }
  const version = parseVersion(options.get('systemd-version'), err, options.get('root'));
  const figure = figureOption(options, version);
  const policy = readPolicy(options.get('policy'), version);
  if (positional.length === 0) throw new UsageError('no units given');
  const profile = options.get('profile');
  if (profile !== undefined && !SERVICE_PROFILES.some((p) => p.id === profile)) {
    throw new UsageError(
      `unknown profile '${profile}': known profiles are ${SERVICE_PROFILES.map((p) => p.id).join(', ')}`,
    );
  }
  const root = options.get('root');
  const { results, errors } = hardenPaths(positional, {
    version,
    figure,
    policy,
    root,
    profile,
    scope: scopeOption(options),
  });
  const format = options.get('format') ?? 'text';
  if (format === 'json') out(JSON.stringify(results.map(toJson), null, 2) + '\n');
  else if (format === 'dropin')
    out(
      results
        .map((r) => r.dropin)
        .filter((d) => d)
        .join('\n'),
    );
  else out(results.map((r) => toText(r, version)).join('\n'));
  for (const e of errors) err(`systemd-hardening: ${e}\n`);
  for (const r of results) if (r.error) err(`systemd-hardening: ${r.file}: cannot harden ${r.unit}: ${r.error}\n`);
  let refused = false;
  if (options.has('write')) {
    const w = writeDropins(results, root);
    for (const m of w.messages) err(`systemd-hardening: ${m}\n`);
    refused = w.failed;
  }
  if (errors.length || refused) return 2;
  return results.some((r) => r.error) ? 1 : 0;
}

if (require.main === module) {
  const code = main(
    process.argv.slice(2),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  );
  process.exitCode = code;
}
