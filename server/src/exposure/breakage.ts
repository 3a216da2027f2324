/**
 * Suggestions that would break the service, judged from what the unit itself shows: a service that
 * talks to the network is not offered PrivateNetwork=; one that puts a socket for other processes in
 * /tmp is not offered PrivateTmp=; a known process monitoring agent is not offered ProtectProc=invisible;
 * one that lists devices is not offered PrivateDevices=; one that writes kernel settings is not offered
 * ProtectKernelTunables=; a JIT runtime is not offered MemoryDenyWriteExecute=; a capability the unit grants
 * is not taken away; an explicit "no" is taken as a requirement. What a known service needs
 * (server/data/service-needs.json, the same facts as the breaks-* rules in the rules/breaks-*.ts files) holds back
 * ProtectSystem=strict and DynamicUser=yes when a folder it writes would become read-only, the loss of
 * CAP_SETUID/CAP_SETGID or of the calls of its user switch, and the address families and system calls it uses;
 * a Type=notify or D-Bus service keeps AF_UNIX. A unit whose non-root user runs sudo is not offered
 * NoNewPrivileges= nor the settings that imply it (evidence/no-new-privileges.ts, as breaks-no-new-privileges).
 *
 * This file cuts the lines and asks, for each, the general hold-backs (a container runtime, a "no" on
 * purpose, a set-user-ID helper) and then the one of its setting (hold-backs/, by kind of setting).
 */
import type { UnitModel } from '../model/unit-model';
import { parseBoolean } from '../model/values/booleans';
import { IMPLIES_NO_NEW_PRIVILEGES, SETS_NO_NEW_PRIVILEGES } from '../evidence/no-new-privileges';
import { type HoldBack, HOLD_BACKS, UnitFacts } from './hold-backs';

const CONTAINER_SENSITIVE = new Set([
  'RestrictNamespaces',
  'PrivateDevices',
  'ProtectControlGroups',
  'ProtectKernelModules',
  'ProtectKernelTunables',
  'PrivateUsers',
  'PrivateNetwork',
  'SystemCallFilter',
  'CapabilityBoundingSet',
  'RestrictAddressFamilies',
  'DevicePolicy',
  'DeviceAllow',
  'PrivateMounts',
  'User',
  'DynamicUser',
  'NoNewPrivileges',
]);
const TURNS_ON = /^(yes|true|on|1|strict)$/i;
/** The settings that set the no-new-privileges flag, or imply it for a service without CAP_SYS_ADMIN. */
const NO_NEW_PRIVILEGES_KEYS: ReadonlySet<string> = new Set([...SETS_NO_NEW_PRIVILEGES, ...IMPLIES_NO_NEW_PRIVILEGES]);

/** A line to add, cut once (suggestions keep theirs with their plan). */
export interface CutLine {
  key: string;
  value: string;
  /** The value turns the setting on (yes, true, on, 1, strict). */
  on: boolean;
  /** Containers and machines need what the setting takes away. */
  containerSensitive: boolean;
  /** The setting's own hold-back (most have none). */
  holdBack: HoldBack | null;
}

export function cutLines(lines: readonly string[]): CutLine[] {
  return lines.map((line) => {
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    return {
      key,
      value,
      on: TURNS_ON.test(value),
      containerSensitive: CONTAINER_SENSITIVE.has(key),
      holdBack: HOLD_BACKS.get(key) ?? null,
    };
  });
}

/**
 * A checker for one unit: why adding the lines would probably break the service, or null when nothing
 * in the unit says so. The unit's facts are gathered once, so checking many suggestions stays cheap.
 */
export function breakageChecker(model: UnitModel): (lines: readonly CutLine[]) => string | null {
  const facts = new UnitFacts(model);
  return (lines) => {
    for (const line of lines) {
      const why = lineBreakage(model, facts, line);
      if (why) return why;
    }
    return null;
  };
}

/** Why adding `lines` would probably break this service, or null when nothing in the unit says so. */
export function breakageOf(model: UnitModel, lines: readonly string[]): string | null {
  return breakageChecker(model)(cutLines(lines));
}

function lineBreakage(
  model: UnitModel,
  facts: UnitFacts,
  { key, value, on, containerSensitive, holdBack }: CutLine,
): string | null {
  if (containerSensitive && facts.container) {
    return `${facts.container} runs containers or machines, which need what ${key}= takes away`;
  }
  if (on && facts.explicitlyOff(key)) return `the unit sets ${key}=no on purpose`;
  if (value !== '' && parseBoolean(value) !== false && NO_NEW_PRIVILEGES_KEYS.has(key)) {
    const why = facts.setuidHelperStopped(key);
    if (why) return why;
  }
  // sudo, become root, still needs CAP_SETUID and CAP_SETGID in the bounding set (tried: with
  // CapabilityBoundingSet= empty, sudo-app's sudo fails with "unable to change to root gid").
  if (key === 'CapabilityBoundingSet' && dropsSetuid(value)) {
    const why = facts.setuidHelperStopped(key);
    if (why)
      return why.replace(
        /, which the no-new-privileges flag .*$/,
        ', which needs CAP_SETUID and CAP_SETGID to become root',
      );
  }
  return holdBack === null ? null : holdBack(model, facts, value);
}

/** Whether a CapabilityBoundingSet= line leaves CAP_SETUID or CAP_SETGID out. */
function dropsSetuid(value: string): boolean {
  const words = value.replace(/^~/, '').toUpperCase().split(/\s+/);
  const named = words.includes('CAP_SETUID') || words.includes('CAP_SETGID');
  return value.startsWith('~') ? named : !(words.includes('CAP_SETUID') && words.includes('CAP_SETGID'));
}
