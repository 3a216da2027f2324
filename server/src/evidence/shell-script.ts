/**
 * The shell scripts of command lines (`sh -c SCRIPT`), and which of their statements can fail the
 * command: a failed statement fails the script only when it is the last one (its status is the
 * script's), or when the shell stops at errors (`sh -e`, `set -e`); never when it tolerates the
 * failure itself (`|| true`). `echo 1 > /proc/sys/…; exec daemon` starts the daemon whatever the
 * write did. The split is rough (a `;` inside quotes ends a statement too), which errs towards
 * finding fewer fatal statements: the breaks-… rules that read them want precision first.
 */
import type { ExecCommand } from '../model/values/exec';

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'ksh', 'mksh', 'zsh', 'busybox']);

export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** The script a shell command runs (`sh -c SCRIPT`, `bash -ec SCRIPT`) and whether the shell stops at errors, or null. */
export function shellScript(command: ExecCommand): { script: string; errexit: boolean } | null {
  if (command.viaShell) return command.argv[1] === undefined ? null : { script: command.argv[1], errexit: false };
  const name = baseName(command.path);
  if (!SHELLS.has(name)) return null;
  const args = command.argv.slice(1);
  if (name === 'busybox' && args[0] !== 'sh' && args[0] !== 'ash') return null;
  let errexit = false;
  for (let i = 0; i < args.length - 1; i++) {
    const a = args[i]!;
    if (!/^-[a-z]+$/.test(a)) continue;
    if (a.includes('e')) errexit = true;
    if (a.includes('c')) return { script: args[i + 1]!, errexit };
  }
  return null;
}

/** The statements of a script whose failure fails the script. */
export function fatalStatements(script: string, errexit: boolean): string[] {
  const statements = script
    .split(/;|\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const stops = errexit || /(^|[;\n])\s*set\s+-[a-z]*e/.test(script);
  return statements.filter((s, i) => !s.includes('||') && (stops || i === statements.length - 1));
}
