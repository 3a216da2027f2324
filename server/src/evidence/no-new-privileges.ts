/**
 * When the no-new-privileges flag stops a command of the unit: the flag (set by NoNewPrivileges=yes,
 * by DynamicUser=yes, or implied by the settings systemd enforces with seccomp when the service runs
 * without CAP_SYS_ADMIN) makes execve() ignore set-user-ID and set-group-ID bits, so a helper such as
 * sudo, run as the unit's own non-root user, can no longer become root.
 *
 * Shared by the rule breaks-no-new-privileges (which warns) and exposure/breakage.ts (which holds the
 * same settings back from suggestions), so the product never suggests a line that it then warns about.
 */
import { lastAssignment } from '../model/build';
import { EXEC_COMMAND_KEYS, type TypedValues } from '../model/security-types';
import type { UnitModel } from '../model/unit-model';
import type { ExecCommand } from '../model/values/exec';
import { namespaceFlagsAll } from '../model/values/namespaces';
import { capabilityNumber } from '../model/values/name-lookups';

/** A set-user-ID helper whose failure under the flag a boot showed. */
export interface SetuidHelper {
  program: RegExp;
  failure: string;
  /** The boot cases that showed it (test/boot/cases.json): with NoNewPrivileges=yes, and with the flag implied by another setting. */
  proof: { sets: string; implied: string; impliedSince255: string };
}

/** Only what was booted: sudo (set-user-ID root) run by a service's non-root user. */
const HELPERS: readonly SetuidHelper[] = [
  {
    program: /(^|\/)sudo$/,
    failure:
      'sudo refuses and the command fails; the journal shows: sudo: The "no new privileges" flag is set, which prevents sudo from running as root.',
    proof: {
      sets: 'sudo-app-nnp',
      implied: 'sudo-app-syscall-filter',
      impliedSince255: 'debian-13/sudo-app-no-capset',
    },
  },
];

/**
 * The settings that imply the flag for a service without CAP_SYS_ADMIN (systemd's
 * context_has_seccomp(), the same list in 252 and 257). SystemCallLog= is on the list; it is not read here.
 * From 255 systemd keeps CAP_SYS_ADMIN across the user switch to install the filters, and sets no
 * implied flag, unless SystemCallFilter= denies capget(), capset() or prctl(), which it needs to drop
 * the capability afterwards (seccomp_allows_drop_privileges(); booted on Debian 13:
 * debian-13/sudo-app-syscall-filter runs healthy, debian-13/sudo-app-no-capset breaks).
 */
export const IMPLIES_NO_NEW_PRIVILEGES: readonly string[] = [
  'LockPersonality',
  'MemoryDenyWriteExecute',
  'PrivateDevices',
  'ProtectClock',
  'ProtectHostname',
  'ProtectKernelTunables',
  'ProtectKernelModules',
  'ProtectKernelLogs',
  'RestrictAddressFamilies',
  'RestrictNamespaces',
  'RestrictRealtime',
  'RestrictSUIDSGID',
  'SystemCallArchitectures',
  'SystemCallFilter',
  'SystemCallLog',
];

/** The settings that set the flag by themselves: NoNewPrivileges=yes, and DynamicUser=yes, which sets it. */
export const SETS_NO_NEW_PRIVILEGES: readonly string[] = ['NoNewPrivileges', 'DynamicUser'];

/** The unit's commands run as a user other than root (User= not root, or DynamicUser=yes). */
export function runsUnprivileged(tv: TypedValues): boolean {
  return tv.dynamicUser || (tv.user !== null && tv.user !== 'root' && tv.user !== '0');
}

export interface HelperUse {
  key: (typeof EXEC_COMMAND_KEYS)[number];
  command: ExecCommand;
  helper: SetuidHelper;
}

/**
 * The commands that run a known set-user-ID helper as the unit's non-root user: not those with the
 * `+` or `!` prefix (they run as root), nor, under PermissionsStartOnly=yes, those other than ExecStart=.
 * With `anyUser`, also when the unit runs as root (for holding back DynamicUser=, which would change that).
 */
export function setuidHelperUses(model: UnitModel, tv: TypedValues, anyUser = false): HelperUse[] {
  if (!anyUser && !runsUnprivileged(tv)) return [];
  const startOnly = /^(1|yes|y|true|t|on)$/i.test(
    lastAssignment(model, 'Service', 'PermissionsStartOnly')?.value ?? '',
  );
  const out: HelperUse[] = [];
  for (const key of EXEC_COMMAND_KEYS) {
    if (startOnly && key !== 'ExecStart') continue;
    for (const command of tv.exec[key]) {
      if (command.fullyPrivileged || command.noSetuid || command.ambientMagic) continue;
      const helper = HELPERS.find((h) => h.program.test(command.path));
      if (helper) out.push({ key, command, helper });
    }
  }
  return out;
}

/** The calls systemd (255 and later) needs to drop CAP_SYS_ADMIN after installing the filters as the service's user. */
const DROP_CALLS = ['capget', 'capset', 'prctl'];

/** Whether systemd 255 and later can install the service's seccomp filters without the flag (the filter lets it drop CAP_SYS_ADMIN afterwards). */
function seccompKeepsPrivileges(tv: TypedValues): boolean {
  const f = tv.systemCallFilter;
  if (f.mode === null) return true;
  const named = DROP_CALLS.filter((c) => f.entries.has(c)).length;
  return f.mode === 'allow' ? named === DROP_CALLS.length : named === 0;
}

/** The settings in force that give the service the flag, by name: those that set it first, then those that imply it. */
export function noNewPrivilegesSources(tv: TypedValues, version: number): { sets: string[]; implies: string[] } {
  const sets: string[] = [];
  if (tv.booleans.NoNewPrivileges) sets.push('NoNewPrivileges');
  if (tv.dynamicUser) sets.push('DynamicUser');
  const implies: string[] = [];
  const admin = capabilityNumber('CAP_SYS_ADMIN', version);
  // An ambient CAP_SYS_ADMIN stays effective after the user switch: systemd then sets no implied flag.
  if (!runsUnprivileged(tv) || (admin !== undefined && (tv.ambientCapabilities >> BigInt(admin)) & 1n))
    return { sets, implies };
  if (version >= 255 && seccompKeepsPrivileges(tv)) return { sets, implies };
  const b = tv.booleans;
  const all = namespaceFlagsAll(version);
  const on: Record<string, boolean> = {
    LockPersonality: b.LockPersonality,
    MemoryDenyWriteExecute: b.MemoryDenyWriteExecute,
    PrivateDevices: b.PrivateDevices,
    ProtectClock: b.ProtectClock,
    ProtectHostname: tv.protectHostname.mode !== 'no',
    ProtectKernelTunables: b.ProtectKernelTunables,
    ProtectKernelModules: b.ProtectKernelModules,
    ProtectKernelLogs: b.ProtectKernelLogs,
    RestrictAddressFamilies:
      tv.restrictAddressFamilies.allowList || (tv.restrictAddressFamilies.families?.size ?? 0) > 0,
    RestrictNamespaces: (tv.restrictNamespaces & all) !== all,
    RestrictRealtime: b.RestrictRealtime,
    RestrictSUIDSGID: b.RestrictSUIDSGID,
    SystemCallArchitectures: tv.systemCallArchitectures.length > 0,
    SystemCallFilter: tv.systemCallFilter.mode !== null,
  };
  for (const k of IMPLIES_NO_NEW_PRIVILEGES) if (on[k]) implies.push(k);
  return { sets, implies };
}
