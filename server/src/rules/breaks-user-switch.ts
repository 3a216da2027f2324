/**
 * breaks-user-switch: a service that starts as root and switches user itself loses CAP_SETUID or
 * CAP_SETGID, or the system calls of the switch, to CapabilityBoundingSet= or SystemCallFilter=, or
 * User= makes systemd start it as another user; breaks-capability: it loses another capability it uses
 * as root (a low port, chown() of its folders). From what service-needs.json records of the service.
 */
import { lastAssignment } from '../model/build';
import type { TypedValues } from '../model/security-types';
import { capabilityNumber } from '../model/values/name-lookups';
import type { ServiceNeeds } from '../knowledge/service-needs';
import { assumed, type Context, lineAfter, lineSpan } from './breakage-context';
import { allowCallsEdit, callDenied, callKills, filterLineDenying } from './syscall-filter-denials';
import type { Diagnostic } from './diagnostic';

function startsAsRoot(values: TypedValues): boolean {
  if (values.dynamicUser) return false;
  if (values.user !== null && values.user !== 'root' && values.user !== '0') return false;
  const main = values.exec.ExecStart[0];
  return !main || !main.fullyPrivileged;
}

export function userSwitchBreakage(ctx: Context): Diagnostic[] {
  const { model, values, needs } = ctx;
  if (!needs) return [];
  if (!startsAsRoot(values)) return startedAsUser(ctx, needs);
  const userSwitch = needs.switchesUser;
  const out: Diagnostic[] = [];
  // What root keeps of its powers is the bounding set: the switch's CAP_SETUID and CAP_SETGID, and the
  // capabilities the service uses before it drops root (binding a low port, chown() of its folders, ...).
  const needed: { name: string; use: string; failure: string; source: string; firstStartOnly?: boolean }[] = [];
  if (userSwitch)
    for (const name of ['CAP_SETUID', 'CAP_SETGID'])
      needed.push({
        name,
        use: `to switch to ${userSwitch.to}`,
        failure: userSwitch.failure,
        source: userSwitch.source,
      });
  for (const c of needs.capabilities ?? []) needed.push(c);
  const lacking = needed.filter((c) => {
    const n = capabilityNumber(c.name, model.version);
    return n !== undefined && (values.capabilityBoundingSet & (1n << BigInt(n))) === 0n;
  });
  const capLine = lastAssignment(model, 'Service', 'CapabilityBoundingSet');
  if (lacking.some((c) => !c.firstStartOnly) && capLine) {
    const names = lacking.map((c) => c.name);
    const line = `CapabilityBoundingSet=${names.join(' ')}`;
    const switching = userSwitch !== undefined && (names.includes('CAP_SETUID') || names.includes('CAP_SETGID'));
    const first = lacking.find((c) => !c.firstStartOnly)!;
    const uses = lacking.map((c) => `${c.name} ${c.use}`).join(', ');
    out.push({
      code: switching ? 'breaks-user-switch' : 'breaks-capability',
      severity: 'warning',
      message:
        `${ctx.name} starts as root${userSwitch ? ` and switches to ${userSwitch.to} itself` : ''}, but CapabilityBoundingSet= leaves out what it needs as root: ${uses}. ` +
        `Expect: ${first.failure} ${assumed(needs)}. ${line} after this line gives ${names.length === 1 ? 'it' : 'them'} back.`,
      file: capLine.file.path,
      span: lineSpan(capLine),
      fixes: [
        { title: `Keep ${names.join(', ')} (add ${line})`, edits: [lineAfter(capLine, [line])], preferred: true },
      ],
    });
  }
  if (!userSwitch) return out;
  const denied = userSwitch.calls.filter((c) => callDenied(values, c));
  const filterLine = denied.length ? filterLineDenying(model, values, denied[0]!) : undefined;
  const fix = denied.length ? allowCallsEdit(model, denied) : null;
  if (filterLine && fix) {
    const kills = denied.some((c) => callKills(values, c));
    out.push({
      code: 'breaks-user-switch',
      severity: 'warning',
      message:
        `${ctx.name} starts as root and switches to ${userSwitch.to} itself, but SystemCallFilter= denies ${denied.join(', ')}: ` +
        (kills ? 'the process is killed ("code=killed, status=31/SYS")' : `the switch fails (${userSwitch.failure})`) +
        ` ${assumed(needs)}. ${fix.title.replace(/^Allow [^(]*\(add /, '').replace(/\)$/, '')} after the filter's last line allows ${denied.length === 1 ? 'it' : 'them'}.`,
      file: filterLine.file.path,
      span: lineSpan(filterLine),
      fixes: [{ ...fix, preferred: true }],
    });
  }
  return out;
}

/**
 * User= names a user other than root for a service that starts as root and switches user itself
 * (nginx's `user www-data;`): systemd starts it as that user, and what it does as root before its own
 * switch fails. Only for a service whose data records what a boot showed then (startedAsUser); the fix
 * resets User= after the line (an empty assignment: root again).
 */
function startedAsUser(ctx: Context, needs: ServiceNeeds): Diagnostic[] {
  const { model, values } = ctx;
  const userSwitch = needs.switchesUser;
  if (!userSwitch?.startedAsUser || values.dynamicUser || values.user === null) return [];
  const main = values.exec.ExecStart[0];
  if (main?.fullyPrivileged || main?.noSetuid) return [];
  const line = lastAssignment(model, 'Service', 'User');
  if (!line) return [];
  return [
    {
      code: 'breaks-user-switch',
      severity: 'warning',
      message:
        `${ctx.name} starts as root and switches to ${userSwitch.to} itself, but User=${values.user} makes systemd start it as ${values.user}: ` +
        `what it does as root first fails. Expect: ${userSwitch.startedAsUser.failure} ${assumed(needs)}. ` +
        `An empty User= after this line lets it start as root again and switch by itself.`,
      file: line.file.path,
      span: lineSpan(line),
      fixes: [
        {
          title: `Start it as root, as it expects (add an empty User=)`,
          edits: [lineAfter(line, ['User='])],
          preferred: true,
        },
      ],
    },
  ];
}
