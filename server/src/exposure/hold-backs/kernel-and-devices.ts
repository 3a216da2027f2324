/**
 * Hold-backs of the settings that guard devices, kernel settings and the clock: a unit that uses
 * devices, writes kernel settings or is a time daemon keeps what it needs.
 */
import { timeDaemon } from '../../knowledge/time-daemons';
import type { HoldBack, HoldBacks } from './hold-back';
import type { UnitFacts } from './unit-facts';

/** A time daemon's job is the clock (knowledge/time-daemons.ts): no ProtectClock=, no bounding set without CAP_SYS_TIME. */
export function timeDaemonHoldBack(facts: UnitFacts): string | null {
  const daemon = facts.startPrograms.map(timeDaemon).find((d) => d !== null);
  return daemon
    ? `${daemon} sets the system clock, which ProtectClock=yes and a bounding set without CAP_SYS_TIME forbid`
    : null;
}

const usesDevicesHoldBack: HoldBack = (_model, facts) =>
  facts.usesDevices() ? 'the unit uses device nodes (DeviceAllow= or /dev/ on its command line)' : null;

export const KERNEL_AND_DEVICES_HOLD_BACKS: HoldBacks = [
  ['PrivateDevices', usesDevicesHoldBack],
  [
    'ProtectKernelTunables',
    (_model, facts) => {
      const w = facts.writesKernelSettings();
      return w === null
        ? null
        : `a command of the unit writes a kernel setting (${w}), which ProtectKernelTunables=yes makes read-only`;
    },
  ],
  ['DevicePolicy', usesDevicesHoldBack],
  ['ProtectClock', (_model, facts) => timeDaemonHoldBack(facts)],
];
