/**
 * breaks-protect-proc: ProtectProc=invisible on a known process monitoring agent
 * (server/data/service-needs.json `processes`: prometheus-process-exporter). /proc then hides every
 * process of another user from the service, unless it keeps CAP_SYS_PTRACE (root with its full
 * bounding set): the agent starts and answers, but reports only its own processes (booted:
 * process-exporter watching systemd-journal, test/boot/cases.json process-exporter-protect-proc).
 * Only for a known agent: ProtectProc=invisible suits almost every other service.
 */
import { lastAssignment } from '../model/build';
import { capabilityNumber } from '../model/values/name-lookups';
import { assumed, type Context, lineAfter, lineSpan } from './breakage-context';
import type { Diagnostic } from './diagnostic';

export function protectProcBreakage(ctx: Context): Diagnostic[] {
  const { model, values, needs } = ctx;
  if (!needs?.processes || values.protectProc !== 'invisible') return [];
  const line = lastAssignment(model, 'Service', 'ProtectProc');
  if (!line) return [];
  // Root that keeps CAP_SYS_PTRACE still sees every process.
  const ptrace = capabilityNumber('CAP_SYS_PTRACE', model.version);
  const root = !values.dynamicUser && (values.user === null || values.user === 'root' || values.user === '0');
  if (root && ptrace !== undefined && (values.capabilityBoundingSet & (1n << BigInt(ptrace))) !== 0n) return [];
  return [
    {
      code: 'breaks-protect-proc',
      severity: 'warning',
      message:
        `ProtectProc=invisible hides every process of another user from ${ctx.name}, but ${needs.name} ${needs.processes.use}: ${needs.processes.failure} ${assumed(needs)}. ` +
        'ProtectProc=default after this line shows it every process again.',
      file: line.file.path,
      span: lineSpan(line),
      fixes: [
        {
          title: 'Show every process (add ProtectProc=default)',
          edits: [lineAfter(line, ['ProtectProc=default'])],
          preferred: true,
        },
      ],
    },
  ];
}
