/**
 * breaks-address-family: RestrictAddressFamilies= takes away AF_UNIX from a Type=notify or D-Bus
 * service (sd_notify() and the bus are Unix sockets), or a family the service is known to use
 * (service-needs.json; a family whose loss only degrades the service is left out).
 */
import { effectiveListAssignments, lastAssignment } from '../model/build';
import type { TypedValues } from '../model/security-types';
import type { Assignment, UnitModel } from '../model/unit-model';
import { AF_UNIX } from '../model/values/address-families';
import { addressFamilyNumber } from '../model/values/name-lookups';
import { assumed, type Context, lineAfter, lineSpan } from './breakage-context';
import type { Diagnostic } from './diagnostic';

function familyAllowed(values: TypedValues, n: number): boolean {
  const r = values.restrictAddressFamilies;
  if (r.allowList) return r.families !== null && r.families.has(n);
  return r.families === null || !r.families.has(n);
}

/** The RestrictAddressFamilies= line that takes `family` away: the last `~` line naming it, else the line that started the allow-list. */
function familyLine(model: UnitModel, values: TypedValues, family: string): Assignment | undefined {
  const list = effectiveListAssignments(model, 'Service', 'RestrictAddressFamilies');
  for (let i = list.length - 1; i >= 0; i--) {
    const v = list[i]!.value.trim();
    if (
      v.startsWith('~') &&
      v
        .slice(1)
        .split(/\s+/)
        .some((w) => w.toUpperCase() === family)
    )
      return list[i];
  }
  if (!values.restrictAddressFamilies.allowList) return undefined;
  let start: Assignment | undefined;
  for (const a of list) if (a.value.trim() === 'none' || (start === undefined && a.value.trim() !== '')) start = a;
  return start;
}

export function addressFamilyBreakage(ctx: Context): Diagnostic[] {
  const { model, values, needs } = ctx;
  const r = values.restrictAddressFamilies;
  if (!r.allowList && r.families === null) return [];
  const wanted = new Map<string, { use: string; failure: string; source: string | null }>();
  const type = values.service.type;
  if (
    (type === 'notify' || type === 'notify-reload') &&
    lastAssignment(model, 'Service', 'NotifyAccess')?.value !== 'none'
  ) {
    wanted.set('AF_UNIX', {
      use: `Type=${type}: sd_notify() reports readiness over a Unix socket`,
      failure: 'the service never reports ready and systemd stops it: "start operation timed out. Terminating."',
      source: null,
    });
  } else if (type === 'dbus' || values.service.busName) {
    wanted.set('AF_UNIX', {
      use: `${type === 'dbus' ? 'Type=dbus' : 'BusName='}: D-Bus is a Unix socket`,
      failure:
        'the service cannot reach the bus and exits: "Failed to get system bus connection: Address family not supported by protocol" (sd-bus services such as systemd-timedated; booted, test/boot/cases.json timedated-no-af-unix)',
      source: null,
    });
  }
  // A family whose loss only degrades the service (a collector fails, the rest serves) is no breakage.
  for (const f of needs?.addressFamilies ?? [])
    if (!f.degradesOnly && !wanted.has(f.family))
      wanted.set(f.family, { use: f.use, failure: f.failure, source: f.source });
  const out: Diagnostic[] = [];
  const byLine = new Map<Assignment, string[]>();
  const texts = new Map<Assignment, string[]>();
  for (const [family, why] of wanted) {
    const n = family === 'AF_UNIX' ? AF_UNIX : addressFamilyNumber(family, model.version);
    if (n === undefined || familyAllowed(values, n)) continue;
    const line = familyLine(model, values, family);
    if (!line) continue;
    byLine.set(line, [...(byLine.get(line) ?? []), family]);
    const assumption = why.source === null ? '' : ` ${assumed(needs!)}`;
    texts.set(line, [...(texts.get(line) ?? []), `${family} (${why.use}): ${why.failure}${assumption}`]);
  }
  const last = lastAssignment(model, 'Service', 'RestrictAddressFamilies');
  for (const [line, families] of byLine) {
    const add = `RestrictAddressFamilies=${families.join(' ')}`;
    out.push({
      code: 'breaks-address-family',
      severity: 'warning',
      message: `RestrictAddressFamilies= takes away what ${ctx.name} needs: ${texts.get(line)!.join('; ')}. ${add} after the last RestrictAddressFamilies= line allows ${families.length === 1 ? 'it' : 'them'}.`,
      file: line.file.path,
      span: lineSpan(line),
      fixes: [
        {
          title: `Allow ${families.join(', ')} (add ${add})`,
          edits: [lineAfter(last ?? line, [add])],
          preferred: true,
        },
      ],
    });
  }
  return out;
}
