/** A small, strict argument parser: known options only, clear errors for everything else. */

export class UsageError extends Error {}

export interface OptionSpec {
  /** Option takes a value (`--format json` or `--format=json`). */
  value: boolean;
  choices?: readonly string[];
}

export function parseArgs(
  argv: readonly string[],
  spec: Record<string, OptionSpec>,
): { options: Map<string, string>; positional: string[] } {
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const opt = spec[name];
    if (!opt) throw new UsageError(`unknown option --${name}`);
    if (!opt.value) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      options.set(name, 'true');
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (opt.choices && !opt.choices.includes(value))
      throw new UsageError(`--${name} must be one of ${opt.choices.join(', ')}, not '${value}'`);
    options.set(name, value);
  }
  return { options, positional };
}
