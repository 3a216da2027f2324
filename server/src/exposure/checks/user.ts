/** assess_user(), assess_supplementary_groups(), assess_remove_ipc(). */
import { type AssessFn, plain, runsPrivileged } from './assessment';

export const assessUser: AssessFn = (_a, info) => {
  const u = info.user;
  if (u === 'nobody') return plain(9, "Service runs under as 'nobody' user, which should not be used for services");
  if (info.dynamicUser && u !== '0' && u !== 'root')
    return plain(0, 'Service runs under a transient non-root user identity');
  if (u !== null && u !== '0' && u !== 'root' && u !== '')
    return plain(0, 'Service runs under a static non-root user identity');
  return plain(10);
};

export const assessSupplementaryGroups: AssessFn = (_a, info) =>
  runsPrivileged(info) ? plain(null) : plain(info.supplementaryGroups.length > 0 ? 1 : 0);

export const assessRemoveIPC: AssessFn = (_a, info) =>
  runsPrivileged(info) ? plain(null) : plain(info.removeIPC ? 0 : 1);
