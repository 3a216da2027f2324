/**
 * breaks-memory-deny-write-execute: MemoryDenyWriteExecute=yes on a service whose command runs a
 * runtime that compiles code while it runs (JIT). systemd's filter refuses memory that is writable
 * and executable, and refuses to make memory executable later, which is how a JIT emits its code.
 *
 * Evidence: the program of an ExecStartPre=, ExecStart= or ExecStartPost= command (not one with the
 * `+` prefix, which runs outside the sandbox) is a JIT runtime whose failure a boot showed
 * (knowledge/runtimes.ts: Node.js, booted as test/boot/cases.json node-app-mdwe), and the command
 * does not turn the JIT off (`node --jitless` runs healthy under the setting, node-app-mdwe-jitless).
 * The same list holds the setting back from suggestions (exposure/breakage.ts), for every JIT runtime.
 */
import { lastAssignment } from '../model/build';
import { bootedJitFailure } from '../knowledge/runtimes';
import { type Context, lineAfter, lineSpan } from './breakage-context';
import type { Diagnostic } from './diagnostic';

const KEYS = ['ExecStartPre', 'ExecStart', 'ExecStartPost'] as const;

export function memoryDenyWriteExecuteBreakage(ctx: Context): Diagnostic[] {
  const { model, values } = ctx;
  if (!values.booleans.MemoryDenyWriteExecute) return [];
  const line = lastAssignment(model, 'Service', 'MemoryDenyWriteExecute');
  if (!line) return [];
  for (const key of KEYS) {
    for (const cmd of values.exec[key]) {
      if (cmd.fullyPrivileged) continue;
      const f = bootedJitFailure(cmd.path, cmd.argv);
      if (!f) continue;
      const off = f.withoutJit
        ? ` (or ${f.withoutJit} before the script on the command line: ${cmd.path} then runs without its JIT, slower)`
        : '';
      return [
        {
          code: 'breaks-memory-deny-write-execute',
          severity: 'warning',
          message:
            `MemoryDenyWriteExecute=yes forbids memory that is writable and executable, but ${key}= runs ${cmd.path} (${f.runtime}), which needs it: ` +
            `${f.failure} (booted: test/boot/cases.json ${f.proof}). MemoryDenyWriteExecute=no after this line lets it run${off}.`,
          file: line.file.path,
          span: lineSpan(line),
          fixes: [
            {
              title: 'Allow writable and executable memory (add MemoryDenyWriteExecute=no)',
              edits: [lineAfter(line, ['MemoryDenyWriteExecute=no'])],
              preferred: true,
            },
          ],
        },
      ];
    }
  }
  return [];
}
