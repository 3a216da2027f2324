/**
 * breaks-kernel-tunables: ProtectKernelTunables=yes makes /proc/sys and /sys read-only, while a command
 * of the unit writes a kernel setting there (evidence/kernel-writes.ts: `sysctl -w`, `sysctl -p`,
 * `sysctl --system`, `sh -c 'echo 1 > /proc/sys/…'`). Booted on Debian 12 (test/boot/cases.json,
 * nginx-sysctl-*): with `ExecStartPre=/usr/sbin/sysctl -w net.core.somaxconn=1024` the journal shows
 * `sysctl: permission denied on key "net.core.somaxconn"` and the start fails; through a shell,
 * `cannot create /proc/sys/net/core/somaxconn: Read-only file system`. With the `-` prefix the same
 * error is logged and the service starts: no warning then.
 *
 * The fix that loosens least runs only that command outside the sandbox (`+`), so the service keeps
 * ProtectKernelTunables=yes; it is preferred when the command is not the main one and its line is not
 * in a vendor file (a fix never edits one). ProtectKernelTunables=no after the setting is the other fix.
 */
import { lastAssignment } from '../model/build';
import { isVendorPath } from '../model/vendor';
import type { Assignment } from '../model/unit-model';
import { kernelWrites, type ExecKey, type KernelWrite } from '../evidence/kernel-writes';
import { lineAfter, lineSpan, type Context } from './breakage-context';
import type { Diagnostic, Fix, TextEdit } from './diagnostic';

/** What the failure of a command of this key does to the service. */
export function consequenceOf(key: ExecKey): string {
  if (key === 'ExecReload') return 'the reload fails';
  if (key === 'ExecStop' || key === 'ExecStopPost') return 'the command fails when the service stops';
  if (key === 'ExecCondition') return 'the condition fails and the service is skipped';
  return 'the service fails to start';
}

/** The edit that gives the one command of `a` the `+` prefix (dropping `!`, which cannot go with it), or null. */
export function plusPrefixEdit(a: Assignment): TextEdit | null {
  const text = a.file.tree.text;
  const span = a.entry.valueSpan;
  const raw = text.slice(span.start, span.end);
  let n = 0;
  while (n < raw.length && '-@:+!|'.includes(raw[n]!)) n++;
  const prefix = raw.slice(0, n);
  if (prefix.includes('+') || prefix.includes('|') || !a.value.startsWith(prefix)) return null;
  return {
    file: a.file.path,
    span: { start: span.start, end: span.start + n },
    newText: prefix.replace(/!/g, '') + '+',
  };
}

function fixesFor(ctx: Context, setting: Assignment, w: KernelWrite): Fix[] {
  const off = 'ProtectKernelTunables=no';
  const offFix: Fix = {
    title: `Turn ProtectKernelTunables= off for the whole service (add ${off})`,
    edits: [lineAfter(setting, [off])],
  };
  const from = w.command.from;
  const alone = ctx.values.exec[w.key].filter((c) => c.from === from).length === 1;
  const plus = w.key !== 'ExecStart' && alone && !isVendorPath(from.file.path) ? plusPrefixEdit(from) : null;
  if (plus === null) return [{ ...offFix, preferred: true }];
  return [
    {
      title: `Run only this ${w.key}= command outside the sandbox (${w.key}=+…), keeping ProtectKernelTunables=yes`,
      edits: [plus],
      preferred: true,
    },
    offFix,
  ];
}

export function kernelTunablesBreakage(ctx: Context): Diagnostic[] {
  const { model, values } = ctx;
  if (!values.booleans.ProtectKernelTunables) return [];
  const setting = lastAssignment(model, 'Service', 'ProtectKernelTunables');
  if (!setting) return [];
  const writes = kernelWrites(values);
  if (writes.length === 0) return [];
  const w = writes[0]!;
  const key = w.evidence
    .split(' ')
    .find((a) => !a.startsWith('-') && a.includes('='))
    ?.split('=')[0];
  const failure = w.sysctl
    ? `sysctl: permission denied on key "${key ?? '…'}"`
    : `cannot create ${w.evidence.replace(/^(> |tee )/, '')}: Read-only file system`;
  const others =
    writes.length > 1
      ? ` (and ${writes.length - 1} more command${writes.length > 2 ? 's' : ''} writing kernel settings)`
      : '';
  const fixes = fixesFor(ctx, setting, w);
  const how =
    fixes.length > 1
      ? `Give that command the + prefix (it then runs outside the sandbox, the service keeps the setting), or add ProtectKernelTunables=no after this line.`
      : `ProtectKernelTunables=no after this line lets it write.`;
  return [
    {
      code: 'breaks-kernel-tunables',
      severity: 'warning',
      message:
        `ProtectKernelTunables=yes makes /proc/sys and /sys read-only, but ${w.key}= writes a kernel setting (${w.evidence})${others}: ` +
        `the write fails ("${failure}") and ${consequenceOf(w.key)}. ${how}`,
      file: setting.file.path,
      span: lineSpan(setting),
      fixes,
    },
  ];
}
