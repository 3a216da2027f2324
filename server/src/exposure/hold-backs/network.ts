/** Hold-backs of the network settings: a unit that talks to the network keeps it, a service keeps the address families it needs. */
import type { HoldBack, HoldBacks } from './hold-back';

const usesNetworkHoldBack: HoldBack = (_model, facts) => {
  const why = facts.usesNetwork();
  return why ? `the service uses the network: ${why}` : null;
};

export const NETWORK_HOLD_BACKS: HoldBacks = [
  ['PrivateNetwork', usesNetworkHoldBack],
  ['IPAddressDeny', usesNetworkHoldBack],
  [
    'RestrictAddressFamilies',
    (model, facts, value) => {
      if (value === '' || value === 'none')
        return value === 'none' && facts.neededFamilies().size ? 'the service needs some address family' : null;
      const deny = value.startsWith('~');
      const words = new Set((deny ? value.slice(1) : value).split(/\s+/).map((w) => w.toUpperCase()));
      for (const [family, why] of facts.neededFamilies())
        if (deny === words.has(family)) return `the service needs ${family}: ${why}`;
      return deny && value.includes('AF_INET') ? usesNetworkHoldBack(model, facts, value) : null;
    },
  ],
];
