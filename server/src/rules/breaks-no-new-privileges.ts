/**
 * breaks-no-new-privileges: the no-new-privileges flag on a service whose command runs a
 * set-user-ID helper (sudo) as the unit's non-root user. With the flag, execve() ignores the
 * set-user-ID bit, so sudo stays the service's user and refuses to run.
 *
 * Evidence: an Exec*= command of the unit runs sudo without the `+` or `!` prefix (which run it as
 * root), the unit runs as a user other than root (User=, DynamicUser=yes), and a setting gives the
 * flag: NoNewPrivileges=yes, DynamicUser=yes, or one that implies it for a service without
 * CAP_SYS_ADMIN (SystemCallFilter=, RestrictAddressFamilies=, ...; from systemd 255 only a
 * SystemCallFilter= that denies capget(), capset() or prctl(): evidence/no-new-privileges.ts).
 * Booted: test/boot/cases.json sudo-app-nnp (NoNewPrivileges=yes) and sudo-app-syscall-filter
 * (implied by SystemCallFilter=), both with sudo's own journal line.
 *
 * The fix: NoNewPrivileges=no after the line when NoNewPrivileges=yes alone gives the flag
 * (sudo-app-nnp-fixed). When another setting implies it, NoNewPrivileges=no changes nothing
 * (sudo-app-syscall-filter-nnp-no stays broken), so the fix gives the sudo command the `+` prefix:
 * that one command runs with full privileges, outside the sandbox, and the service keeps the rest
 * (sudo-app-syscall-filter-privileged).
 */
import { lastAssignment } from '../model/build';
import type { Assignment } from '../model/unit-model';
import { noNewPrivilegesSources, setuidHelperUses, type HelperUse } from '../evidence/no-new-privileges';
import { type Context, lineAfter, lineSpan } from './breakage-context';
import type { Diagnostic, TextEdit } from './diagnostic';

/** An edit giving the command the `+` prefix, when it is the first command of its line (a prefix applies to the first only). */
function privilegedEdit(ctx: Context, use: HelperUse): TextEdit | null {
  const a = use.command.from;
  const first = ctx.values.exec[use.key].find((c) => c.from === a);
  if (first !== use.command) return null;
  return { file: a.file.path, span: { start: a.entry.valueSpan.start, end: a.entry.valueSpan.start }, newText: '+' };
}

export function noNewPrivilegesBreakage(ctx: Context): Diagnostic[] {
  const { model, values } = ctx;
  const uses = setuidHelperUses(model, values);
  if (uses.length === 0) return [];
  const { sets, implies } = noNewPrivilegesSources(values, model.version);
  if (sets.length === 0 && implies.length === 0) return [];
  const key = sets[0] ?? implies[0]!;
  const line: Assignment | undefined = lastAssignment(model, 'Service', key);
  if (!line) return [];
  const use = uses[0]!;
  const who = values.dynamicUser ? 'a dynamic user' : values.user!;
  const how =
    key === 'NoNewPrivileges'
      ? 'NoNewPrivileges=yes sets the no-new-privileges flag'
      : key === 'DynamicUser'
        ? 'DynamicUser=yes sets the no-new-privileges flag'
        : model.version >= 255
          ? `${key}= denies capget(), capset() or prctl(), so systemd cannot keep CAP_SYS_ADMIN to install the filter and sets the no-new-privileges flag instead`
          : `${key}= implies the no-new-privileges flag for a service that runs as a user without CAP_SYS_ADMIN`;
  const onlyOwn = key === 'NoNewPrivileges' && sets.length === 1 && implies.length === 0;
  const proof = `booted: test/boot/cases.json ${sets.length ? use.helper.proof.sets : model.version >= 255 ? use.helper.proof.impliedSince255 : use.helper.proof.implied}`;
  let fix: { title: string; edits: TextEdit[]; preferred: true } | null = null;
  let advice: string;
  if (onlyOwn) {
    fix = {
      title: 'Let set-user-ID programs work (add NoNewPrivileges=no)',
      edits: [lineAfter(line, ['NoNewPrivileges=no'])],
      preferred: true,
    };
    advice = 'NoNewPrivileges=no after this line lets sudo work.';
  } else {
    const others = [...sets, ...implies].filter((k) => k !== 'NoNewPrivileges').map((k) => `${k}=`);
    const edits = uses.map((u) => privilegedEdit(ctx, u)).filter((e): e is TextEdit => e !== null);
    advice =
      `NoNewPrivileges=no cannot undo the flag that ${others.join(', ')} ${others.length === 1 ? 'gives' : 'give'} (booted: sudo-app-syscall-filter-nnp-no stays broken); ` +
      `the + prefix on the ${use.key}= command runs it with full privileges, as root and outside the sandbox, while the rest of the service stays sandboxed.`;
    if (edits.length === uses.length)
      fix = { title: `Run sudo with full privileges (prefix the ${use.key}= command with +)`, edits, preferred: true };
  }
  return [
    {
      code: 'breaks-no-new-privileges',
      severity: 'warning',
      message: `${how}, which makes set-user-ID programs run without their privileges, but ${use.key}= runs ${use.command.path} as ${who}: ${use.helper.failure} (${proof}). ${advice}`,
      file: line.file.path,
      span: lineSpan(line),
      ...(fix ? { fixes: [fix] } : {}),
    },
  ];
}
