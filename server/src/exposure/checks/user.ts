/** assess_user(), assess_supplementary_groups(), assess_remove_ipc(). */
import { type AssessFn, plain, runsPrivileged } from './assessment';

export const assessUser: AssessFn = (_a, info) => {
  const u = info.user;
  if (u === 'nobody') return plain(9, "Service runs under as 'nobody' user, which should not be used for services");
  if (info.dynamicUser && u !== '0' && u !== 'root')
    return plain(0, 'Service runs under a transient non-root user identity');
  if (u !== null && u !== '0' && u !== 'root' && u !== '')
    return plain(0, 'Service runs under a static non-root user identity');
  // 262, a user unit: no User=, or root, is the user who runs the user manager.
  if (info.callingUser) return plain(0, "Service runs under the calling user's identity");
  return plain(10);
};

export const assessSupplementaryGroups: AssessFn = (_a, info) =>
  runsPrivileged(info) && !info.callingUser ? plain(null) : plain(info.supplementaryGroups.length > 0 ? 1 : 0);

export const assessRemoveIPC: AssessFn = (_a, info) => {
  if (info.callingUser) return plain(null, 'RemoveIPC= has no effect on per-user services');
  return runsPrivileged(info) ? plain(null) : plain(info.removeIPC ? 0 : 1);
};
