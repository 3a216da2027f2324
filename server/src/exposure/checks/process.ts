/** assess_keyring_mode(), assess_protect_proc(), assess_proc_subset(), assess_notify_access(). */
import { type AssessFn, plain } from './assessment';

export const assessKeyringMode: AssessFn = (_a, info) => plain(info.keyringMode === 'private' ? 0 : 1);

export const assessProtectProc: AssessFn = (_a, info) => {
  if (info.protectProc === 'noaccess') return plain(1);
  if (info.protectProc === 'invisible' || info.protectProc === 'ptraceable') return plain(0);
  return plain(3);
};

export const assessProcSubset: AssessFn = (_a, info) => plain(info.procSubset === 'pid' ? 0 : 1);

export const assessNotifyAccess: AssessFn = (_a, info) => plain(info.notifyAccess === 'all' ? 1 : 0);
