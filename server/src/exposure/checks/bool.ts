/** assess_bool(): badness 1 when the SecurityInfo field is off (on, for the inverted Delegate= check). */
import type { SecurityInputs } from '../../model/security-inputs';
import type { Assessor } from '../assessors';
import { type AssessFn, plain } from './assessment';

/** SecurityInfo member (as the table names it) → the SecurityInputs property. */
const FIELDS: Record<string, keyof SecurityInputs> = {
  private_devices: 'privateDevices',
  private_mounts: 'privateMounts',
  private_network: 'privateNetwork',
  private_tmp: 'privateTmp',
  private_users: 'privateUsers',
  protect_control_groups: 'protectControlGroups',
  protect_kernel_modules: 'protectKernelModules',
  protect_kernel_tunables: 'protectKernelTunables',
  protect_kernel_logs: 'protectKernelLogs',
  protect_clock: 'protectClock',
  protect_hostname: 'protectHostname',
  lock_personality: 'lockPersonality',
  memory_deny_write_execute: 'memoryDenyWriteExecute',
  no_new_privileges: 'noNewPrivileges',
  delegate: 'delegate',
  restrict_realtime: 'restrictRealtime',
  restrict_suid_sgid: 'restrictSUIDSGID',
  restrict_address_family_inet: 'restrictAddressFamilyInet',
  restrict_address_family_unix: 'restrictAddressFamilyUnix',
  restrict_address_family_netlink: 'restrictAddressFamilyNetlink',
  restrict_address_family_packet: 'restrictAddressFamilyPacket',
  restrict_address_family_other: 'restrictAddressFamilyOther',
  remove_ipc: 'removeIPC',
};

export function boolField(field: string): keyof SecurityInputs {
  const k = FIELDS[field];
  if (!k) throw new Error(`assess_bool: unknown SecurityInfo field ${field}`);
  return k;
}

/** assessBool() for one check, its field looked up once. */
export function prepareBool(a: Assessor): AssessFn {
  const field = boolField(a.parameters?.field ?? '');
  const invert = a.parameters?.invert === true;
  const on = plain(invert ? 1 : 0);
  const off = plain(invert ? 0 : 1);
  return (_a, info) => (info[field] ? on : off);
}

export const assessBool: AssessFn = (a, info) => {
  const value = Boolean(info[boolField(a.parameters?.field ?? '')]);
  return plain(a.parameters?.invert ? (value ? 1 : 0) : value ? 0 : 1);
};
