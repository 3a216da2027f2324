/**
 * Hold-backs of the file-system settings: a folder the known service writes stays writable, a socket
 * for other processes stays in the shared /tmp, a program or working folder under /home stays visible.
 */
import { lastAssignment } from '../../model/build';
import type { UnitModel } from '../../model/unit-model';
import { parseBoolean } from '../../model/values/booleans';
import { writableByConfig } from '../../evidence/write-paths';
import { sharedTmp } from '../../evidence/shared-tmp';
import { homeFolderAbove } from '../../knowledge/home-folders';
import { ALL_COMMAND_KEYS, execBinaries } from './command-lines';
import type { HoldBack, HoldBacks } from './hold-back';
import type { UnitFacts } from './unit-facts';

/** Whether `path` is `dir` or lies below it. */
function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

/** A folder the known service writes that the unit does not keep writable, or undefined. */
function readOnlyWrite(model: UnitModel, facts: UnitFacts): string | undefined {
  const writes = facts.serviceNeeds()?.writes ?? [];
  if (writes.length === 0) return undefined;
  const writable = writableByConfig(model);
  return writes.find((w) => !writable.some((d) => under(w.path, d) || under(d, w.path)))?.path;
}

/** The known service writes a folder the line would make read-only (ProtectSystem=strict, DynamicUser=yes). */
export const readOnlyHoldBack: HoldBack = (model, facts) => {
  const path = readOnlyWrite(model, facts);
  return path ? `${facts.serviceNeeds()!.name} writes ${path}, which would become read-only` : null;
};

export const FILE_SYSTEM_HOLD_BACKS: HoldBacks = [
  ['ProtectSystem', (model, facts, value) => (value === 'strict' ? readOnlyHoldBack(model, facts, value) : null)],
  [
    'PrivateTmp',
    (model, _facts, value) => {
      const shared = parseBoolean(value) === false ? null : sharedTmp(model);
      return shared ? `${shared.where} puts ${shared.path} in /tmp for other processes, which would not see it` : null;
    },
  ],
  [
    'ProtectHome',
    // Every command and the working folder, whatever their prefixes or binds: breaks-protect-home warns on fewer.
    (model, _facts, value) => {
      if (!/^(yes|true|on|1|tmpfs)$/i.test(value)) return null;
      const paths = [
        ...execBinaries(model, ALL_COMMAND_KEYS),
        (lastAssignment(model, 'Service', 'WorkingDirectory')?.value ?? '').replace(/^-/, ''),
      ];
      const below = paths.find((p) => homeFolderAbove(p) !== undefined);
      return below ? `${below} lies below ${homeFolderAbove(below)}, which ProtectHome=${value} hides` : null;
    },
  ],
];
