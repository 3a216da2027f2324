/** assess_protect_home(), assess_protect_system(), assess_root_directory(). */
import { releaseLogic } from '../../knowledge/release-behaviour';
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

/** With the typos of 239 where the release has them (1e8817b327 reworded them in 240). */
export const assessProtectSystem: AssessFn = (_a, info) => {
  const v = info.protectSystem;
  const b = v === null ? undefined : parseBoolean(v);
  const typos = releaseLogic(info.version).protectSystemTypos;
  if (b === true) return plain(5, 'Service has limited write access to the OS file hierarchy');
  if (b === undefined) {
    if (v === 'full')
      return plain(
        3,
        typos
          ? 'Service has very limited write access to OS file hierarchy'
          : 'Service has very limited write access to the OS file hierarchy',
      );
    if (v === 'strict') return plain(0, 'Service has strict read-only access to the OS file hierarchy');
  }
  return plain(
    10,
    typos ? 'Service has full access the OS file hierarchy' : 'Service has full access to the OS file hierarchy',
  );
};

const emptyOrRoot = (p: string | null): boolean => p === null || p === '' || /^\/+$/.test(p);

/** Bad when both are empty; when either is, in the releases with d737b451fe's bug (logic.rootDirectoryEither). */
export const assessRootDirectory: AssessFn = (_a, info) => {
  const dir = emptyOrRoot(info.rootDirectory);
  const image = emptyOrRoot(info.rootImage);
  return plain((releaseLogic(info.version).rootDirectoryEither ? dir || image : dir && image) ? 1 : 0);
};
