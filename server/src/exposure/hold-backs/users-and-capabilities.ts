/**
 * Hold-backs of the settings that choose the user and its capabilities: root on purpose stays root,
 * a service that switches user itself keeps what the switch needs, a static user gets no DynamicUser=,
 * capabilities the unit grants or the known service uses as root are not taken away.
 */
import { lastAssignment } from '../../model/build';
import { typedValues } from '../../model/security-inputs';
import { lowPort } from '../../evidence/low-port';
import { alwaysStaticUser } from '../../knowledge/static-users';
import { readOnlyHoldBack } from './file-system';
import type { HoldBack, HoldBacks } from './hold-back';
import { timeDaemonHoldBack } from './kernel-and-devices';

const rootOnPurposeHoldBack: HoldBack = (model) =>
  /^(root|0)$/.test(lastAssignment(model, 'Service', 'User')?.value ?? '')
    ? 'the unit sets User=root on purpose'
    : null;

export const USERS_AND_CAPABILITIES_HOLD_BACKS: HoldBacks = [
  [
    'CapabilityBoundingSet',
    (_model, facts, value) => {
      if (!value.startsWith('~')) return null;
      const needs = facts.serviceNeeds();
      if (needs && facts.startsAsRoot()) {
        const words = value.slice(1).toUpperCase().split(/\s+/);
        const userSwitch = needs.switchesUser;
        if (userSwitch && (words.includes('CAP_SETUID') || words.includes('CAP_SETGID')))
          return `${needs.name} starts as root and switches to ${userSwitch.to} itself, which needs CAP_SETUID and CAP_SETGID`;
        const used = (needs.capabilities ?? []).find((c) => words.includes(c.name));
        if (used) return `${needs.name} starts as root and needs ${used.name} ${used.use}`;
      }
      if (value.slice(1).toUpperCase().split(/\s+/).includes('CAP_SYS_TIME')) {
        const clock = timeDaemonHoldBack(facts);
        if (clock) return clock;
      }
      const granted = facts.grantedCapabilities();
      if (granted === '') return null;
      const dropped = value
        .slice(1)
        .split(/\s+/)
        .filter((c) => granted.includes(c.toUpperCase()));
      return dropped.length ? `the unit grants ${dropped.join(', ')} in AmbientCapabilities=` : null;
    },
  ],
  ['User', rootOnPurposeHoldBack],
  [
    'DynamicUser',
    (model, facts, value) => {
      const root = rootOnPurposeHoldBack(model, facts, value);
      if (root) return root;
      // dynamic-user-static-name: a UID or nobody is used as it is, no user would be allocated.
      const user = lastAssignment(model, 'Service', 'User')?.value ?? '';
      if (alwaysStaticUser(user) !== null)
        return `User=${user} is always found statically, so DynamicUser=yes would allocate no user`;
      const userSwitch = facts.serviceNeeds()?.switchesUser;
      if (userSwitch && facts.startsAsRoot())
        return `${facts.serviceNeeds()!.name} starts as root and switches to ${userSwitch.to} itself`;
      // breaks-low-port: a dynamic user binds a port below 1024 only with the ambient capability.
      const port = lowPort(model, facts.serviceNeeds() ?? undefined);
      if (port && (typedValues(model).value.ambientCapabilities & (1n << 10n)) === 0n)
        return `${port.evidence}, which a user other than root cannot bind without AmbientCapabilities=CAP_NET_BIND_SERVICE`;
      return readOnlyHoldBack(model, facts, value);
    },
  ],
];
