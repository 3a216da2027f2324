/**
 * The hold-backs of the suggestions, one per setting that has one: why a suggested line of that setting
 * would probably break the service, from what the unit itself shows (unit-facts.ts). The checks that do
 * not depend on the setting (a container runtime, a "no" on purpose, a set-user-ID helper) are in
 * exposure/breakage.ts, which asks these.
 */
import { FILE_SYSTEM_HOLD_BACKS } from './file-system';
import type { HoldBack } from './hold-back';
import { KERNEL_AND_DEVICES_HOLD_BACKS } from './kernel-and-devices';
import { NETWORK_HOLD_BACKS } from './network';
import { PROCESSES_HOLD_BACKS } from './processes';
import { SET_ON_PURPOSE_HOLD_BACKS } from './set-on-purpose';
import { SYSTEM_CALL_HOLD_BACKS } from './system-calls';
import { USERS_AND_CAPABILITIES_HOLD_BACKS } from './users-and-capabilities';

export type { HoldBack } from './hold-back';
export { startsAsRoot, UnitFacts } from './unit-facts';
export { usesNetwork } from './uses-network';

export const HOLD_BACKS: ReadonlyMap<string, HoldBack> = new Map<string, HoldBack>([
  ...FILE_SYSTEM_HOLD_BACKS,
  ...SYSTEM_CALL_HOLD_BACKS,
  ...NETWORK_HOLD_BACKS,
  ...USERS_AND_CAPABILITIES_HOLD_BACKS,
  ...SET_ON_PURPOSE_HOLD_BACKS,
  ...PROCESSES_HOLD_BACKS,
  ...KERNEL_AND_DEVICES_HOLD_BACKS,
]);
