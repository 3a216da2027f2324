/**
 * Commands of a unit that write kernel settings, read from its command lines only: `sysctl -w KEY=V`,
 * `sysctl KEY=V`, `sysctl -p [FILE]`, `sysctl --system`, and shell scripts (`sh -c '…'`) that write
 * into /proc/sys/… or /sys/… (`echo 1 > /proc/sys/…`, `tee /proc/sys/…`) or run sysctl that way, in a
 * statement whose failure fails the script (evidence/shell-script.ts; booted: `echo … > /proc/sys/…;
 * echo written` starts, test/boot/cases.json nginx-sysctl-shell-tolerated).
 * Reading a setting (`sysctl -n KEY`, `sysctl -a`, `cat /proc/sys/…`) is no write.
 *
 * ProtectKernelTunables=yes makes /proc/sys and /sys read-only (systemd's namespace.c), except
 * /sys/fs/cgroup (ProtectControlGroups='s) and /sys/fs/selinux, so such a command fails under it.
 * The breaks-kernel-tunables rule warns on them, and the suggestions hold ProtectKernelTunables=yes
 * back from such a unit (exposure/breakage.ts): both use `kernelWrites()`.
 */
import type { TypedValues } from '../model/security-types';
import { EXEC_COMMAND_KEYS } from '../model/security-types';
import type { ExecCommand } from '../model/values/exec';
import { baseName, fatalStatements, shellScript } from './shell-script';

export type ExecKey = (typeof EXEC_COMMAND_KEYS)[number];

export interface KernelWrite {
  command: ExecCommand;
  key: ExecKey;
  /** What the command writes: `sysctl -w net.core.somaxconn=1024`, `> /proc/sys/net/core/somaxconn`. */
  evidence: string;
  /** The command is sysctl (its own error message) rather than a shell writing a file. */
  sysctl: boolean;
}

/** A redirection or tee into /proc/sys/… or /sys/…. */
const REDIRECT = /(?:^|[^<>])>>?\|?\s*['"]?(\/(?:proc\/sys|sys)\/[^\s'";|&<>()]*)/g;
const TEE = /(?:^|[\s;&|(])(?:\S*\/)?tee(?:\s+-[a-z-]+)*\s+['"]?(\/(?:proc\/sys|sys)\/[^\s'";|&<>()]*)/g;
/** Parts of /sys that ProtectKernelTunables= leaves writable. */
const SYS_KEPT = ['/sys/fs/cgroup', '/sys/fs/selinux'];

/** Whether sysctl with these arguments writes a setting, and the words that show it. */
export function sysctlWrite(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') continue;
    if (a === '--write' || a === '--system' || a === '--load' || a.startsWith('--load=')) return a;
    if (a.startsWith('--')) continue;
    if (a.startsWith('-') && a.length > 1) {
      // A cluster of short options: -w writes, -p and -f load a file (the rest of the word, if any, is
      // its name); -r takes a pattern (the rest of the word or the next argument).
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 'w' || c === 'p' || c === 'f') return a;
        if (c === 'r') {
          if (j === a.length - 1) i++;
          break;
        }
      }
      continue;
    }
    if (a.includes('=')) return a;
  }
  return null;
}

/** Shell words of one simple command, quotes removed (enough for the forms above). */
function shellWords(segment: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(segment); m !== null; m = re.exec(segment)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** What a shell script writes into the kernel's settings in a statement that can fail it, or null. */
export function scriptKernelWrite(script: string, errexit: boolean): { evidence: string; sysctl: boolean } | null {
  for (const statement of fatalStatements(script, errexit)) {
    const w = statementKernelWrite(statement);
    if (w) return w;
  }
  return null;
}

function statementKernelWrite(script: string): { evidence: string; sysctl: boolean } | null {
  for (const re of [REDIRECT, TEE]) {
    re.lastIndex = 0;
    for (let m = re.exec(script); m !== null; m = re.exec(script)) {
      const path = m[1]!;
      if (SYS_KEPT.some((d) => path === d || path.startsWith(d + '/'))) continue;
      return { evidence: re === TEE ? `tee ${path}` : `> ${path}`, sysctl: false };
    }
  }
  for (const segment of script.split(/[&|()]+/)) {
    const words = shellWords(segment);
    let i = 0;
    while (
      i < words.length &&
      (words[i] === 'exec' || words[i] === 'command' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!))
    )
      i++;
    if (i < words.length && baseName(words[i]!) === 'sysctl') {
      const w = sysctlWrite(words.slice(i + 1));
      if (w !== null) return { evidence: ['sysctl', ...words.slice(i + 1)].join(' '), sysctl: true };
    }
  }
  return null;
}

/** What one command writes into the kernel's settings, or null. */
export function commandKernelWrite(command: ExecCommand): { evidence: string; sysctl: boolean } | null {
  const name = baseName(command.path);
  if (name === 'sysctl') {
    const args = command.argv.slice(1);
    return sysctlWrite(args) === null ? null : { evidence: ['sysctl', ...args].join(' '), sysctl: true };
  }
  if (name === 'tee') {
    const path = command.argv
      .slice(1)
      .find(
        (a) =>
          a.startsWith('/proc/sys/') ||
          (a.startsWith('/sys/') && !SYS_KEPT.some((d) => a === d || a.startsWith(d + '/'))),
      );
    return path === undefined ? null : { evidence: `tee ${path}`, sysctl: false };
  }
  const sh = shellScript(command);
  return sh === null ? null : scriptKernelWrite(sh.script, sh.errexit);
}

/**
 * The commands that write kernel settings and would fail under ProtectKernelTunables=yes: not those
 * with `+` (they run outside the sandbox) nor `-` (their failure is ignored: booted, the service
 * starts), nor those that run as a user other than root (they cannot write there in any case).
 */
export function kernelWrites(tv: TypedValues): KernelWrite[] {
  const out: KernelWrite[] = [];
  const root = !tv.dynamicUser && (tv.user === null || tv.user === 'root' || tv.user === '0');
  for (const key of EXEC_COMMAND_KEYS) {
    for (const command of tv.exec[key]) {
      if (command.fullyPrivileged || command.ignoreFailure || (!root && !command.noSetuid)) continue;
      const w = commandKernelWrite(command);
      if (w) out.push({ command, key, ...w });
    }
  }
  return out;
}
