/**
 * The CLI adapter: files in, text or JSON out, exit codes for CI.
 *   0: no errors; 1: errors found; 2: usage error or unreadable input (other files still checked).
 */
import { DEFAULT_VERSION, isSupportedVersion, SUPPORTED_VERSIONS, type SupportedVersion } from '../service';
import { parseArgs, UsageError } from './args';
import { checkPaths, formatText } from './check';

const USAGE = `Usage: systemd-hardening <command> [options] PATH...

Commands:
  check   report syntax errors, unknown or misplaced directives and invalid values

Options:
  --format text|json          output format (default: text)
  --systemd-version VERSION   the systemd whose rules apply: ${SUPPORTED_VERSIONS.join(', ')} (default: ${DEFAULT_VERSION})
  --help                      show this help
`;

function parseVersion(v: string | undefined): SupportedVersion {
  if (v === undefined) return DEFAULT_VERSION;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!isSupportedVersion(n)) throw new UsageError(`unsupported systemd version '${v}': supported versions are ${SUPPORTED_VERSIONS.join(', ')}`);
  return n;
}

export function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === 'help') {
      out(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command !== 'check') throw new UsageError(`unknown command '${command}'`);
    const { options, positional } = parseArgs(rest, {
      format: { value: true, choices: ['text', 'json'] },
      'systemd-version': { value: true },
      help: { value: false },
    });
    if (options.has('help')) {
      out(USAGE);
      return 0;
    }
    const version = parseVersion(options.get('systemd-version'));
    if (positional.length === 0) throw new UsageError('no files given');
    const { reports, errors } = checkPaths(positional, version);
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

if (require.main === module) {
  const code = main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
  process.exitCode = code;
}
