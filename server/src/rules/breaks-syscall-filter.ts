/**
 * breaks-syscall-filter: SystemCallFilter= denies, and so kills the process on, a call the service is
 * known to make (service-needs.json). A call answered with an error instead (SystemCallErrorNumber= or
 * NAME:ERRNO) fails softly, so it gets no warning.
 */
import { assumed, type Context, lineSpan } from './breakage-context';
import { allowCallsEdit, callDenied, callKills, filterLineDenying } from './syscall-filter-denials';
import type { Diagnostic } from './diagnostic';

export function syscallFilterBreakage(ctx: Context): Diagnostic[] {
  const { model, values, needs } = ctx;
  if (!needs?.syscalls || values.systemCallFilter.mode === null) return [];
  const denied = needs.syscalls.filter((s) => callDenied(values, s.name));
  if (denied.length === 0) return [];
  const line = filterLineDenying(model, values, denied[0]!.name);
  const fix = allowCallsEdit(
    model,
    denied.map((s) => s.name),
  );
  if (!line || !fix) return [];
  // The calls in the data were seen to kill the service; answered with an error instead (SystemCallErrorNumber=
  // or NAME:ERRNO), they fail softly (node_exporter's timex collector skips its metrics): no warning then.
  const kills = denied.some((s) => callKills(values, s.name));
  if (!kills) return [];
  const softer = kills
    ? ' With SystemCallErrorNumber=EPERM a denied call fails with EPERM instead of killing the process, which a service that can do without the call survives.'
    : '';
  return [
    {
      code: 'breaks-syscall-filter',
      severity: 'warning',
      message:
        `SystemCallFilter= denies ${denied.map((s) => `${s.name}() (${s.use})`).join(', ')}, which ${ctx.name} makes: ${kills ? denied[0]!.failure : 'the call fails with an error'} ` +
        `${assumed(needs)}.${softer} SystemCallFilter=${denied.map((s) => s.name).join(' ')} after the filter's last line allows ${denied.length === 1 ? 'it' : 'them'}.`,
      file: line.file.path,
      span: lineSpan(line),
      fixes: [{ ...fix, preferred: true }],
    },
  ];
}
