/** assess_protect_home(), assess_protect_system(), assess_root_directory(). */
import { parseBoolean } from '../../model/values/booleans';
import { type AssessFn, plain } from './assessment';

export const assessProtectHome: AssessFn = (_a, info) => {
  const v = info.protectHome;
  const b = v === null ? undefined : parseBoolean(v);
  if (b === true) return plain(0, 'Service has no access to home directories');
  if (b === undefined) {
    if (v === 'read-only') return plain(5, 'Service has read-only access to home directories');
    if (v === 'tmpfs') return plain(1, 'Service has access to fake empty home directories');
  }
  return plain(10, 'Service has full access to home directories');
};

export const assessProtectSystem: AssessFn = (_a, info) => {
  const v = info.protectSystem;
  const b = v === null ? undefined : parseBoolean(v);
  if (b === true) return plain(5, 'Service has limited write access to the OS file hierarchy');
  if (b === undefined) {
    if (v === 'full') return plain(3, 'Service has very limited write access to the OS file hierarchy');
    if (v === 'strict') return plain(0, 'Service has strict read-only access to the OS file hierarchy');
  }
  return plain(10, 'Service has full access to the OS file hierarchy');
};

const emptyOrRoot = (p: string | null): boolean => p === null || p === '' || /^\/+$/.test(p);

export const assessRootDirectory: AssessFn = (_a, info) =>
  plain(emptyOrRoot(info.rootDirectory) && emptyOrRoot(info.rootImage) ? 1 : 0);
