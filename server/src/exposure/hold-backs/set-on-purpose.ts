/** Hold-backs of settings a unit sets on purpose: Delegate=, NotifyAccess=all, KeyringMode=. */
import { lastAssignment } from '../../model/build';
import type { HoldBacks } from './hold-back';

export const SET_ON_PURPOSE_HOLD_BACKS: HoldBacks = [
  [
    'Delegate',
    (model, facts) =>
      !facts.explicitlyOff('Delegate') && lastAssignment(model, 'Service', 'Delegate')
        ? 'the unit delegates a cgroup subtree on purpose (Delegate=)'
        : null,
  ],
  [
    'NotifyAccess',
    (model) =>
      lastAssignment(model, 'Service', 'NotifyAccess')?.value === 'all'
        ? 'the unit sets NotifyAccess=all on purpose'
        : null,
  ],
  [
    'KeyringMode',
    (model) => {
      const set = lastAssignment(model, 'Service', 'KeyringMode');
      return set ? `the unit sets KeyringMode=${set.value} on purpose` : null;
    },
  ],
];
