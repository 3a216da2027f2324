/**
 * The service's network: IPAddressDeny=/IPAddressAllow= and the BPF filter paths (in the cgroup),
 * PrivateNetwork=, and RestrictAddressFamilies= sorted into get_security_info()'s five buckets.
 */
import { type AddressFamilies, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_UNIX } from '../values/address-families';
import { coversAll, isBusLocalhostPrefix, isLocalhostPrefix, reducePrefixes } from '../values/ip-address';
import type { Derivation } from './environment';

/** The five restricted-family booleans of get_security_info() as bits (inet, unix, netlink, packet, other). */
function bucketsOf(af: AddressFamilies): number {
  let inet = af.allowList;
  let unix = af.allowList;
  let netlink = af.allowList;
  let packet = af.allowList;
  let other = af.allowList;
  if (af.families) {
    for (const fam of af.families) {
      if (fam === 0) continue;
      if (fam === AF_INET || fam === AF_INET6) inet = !af.allowList;
      else if (fam === AF_UNIX) unix = !af.allowList;
      else if (fam === AF_NETLINK) netlink = !af.allowList;
      else if (fam === AF_PACKET) packet = !af.allowList;
      else other = !af.allowList;
    }
  }
  return (inet ? 1 : 0) | (unix ? 2 : 0) | (netlink ? 4 : 0) | (packet ? 8 : 0) | (other ? 16 : 0);
}

const familyBuckets = new WeakMap<AddressFamilies, number>();

export const ipAddressFilters: Derivation = {
  reads: ['ipAddressDeny', 'ipAddressAllow', 'ipIngressFilterPath', 'ipEgressFilterPath'],
  writes: [
    'ipAddressDenyAll',
    'ipAddressAllowLocalhost',
    'ipAddressAllowOther',
    'ipFiltersCustomIngress',
    'ipFiltersCustomEgress',
  ],
  readsFigure: true,
  run: (out, values, env) => {
    const c = env.hasCgroup;
    out.ipAddressDenyAll = c && values.ipAddressDeny.length > 0 && coversAll(values.ipAddressDeny);
    // The running figure reads the manager's bus property (knowledge/figures.ts FigureRules.ipAllow).
    const rule = env.rules.ipAllow;
    const allow = rule === 'bus-reduced' ? reducePrefixes(values.ipAddressAllow) : values.ipAddressAllow;
    const local = rule === 'file' ? isLocalhostPrefix : isBusLocalhostPrefix;
    out.ipAddressAllowLocalhost = c && allow.some(local);
    out.ipAddressAllowOther = c && allow.some((p) => !local(p));
    out.ipFiltersCustomIngress = c && values.ipIngressFilterPath.length > 0;
    out.ipFiltersCustomEgress = c && values.ipEgressFilterPath.length > 0;
  },
};

export const privateNetwork: Derivation = {
  reads: ['booleans.PrivateNetwork'],
  writes: ['privateNetwork'],
  run: (out, values, env) => {
    out.privateNetwork = env.hasExec && values.booleans.PrivateNetwork;
  },
};

export const restrictAddressFamilies: Derivation = {
  // get_security_info() sorts the families into five buckets.
  reads: ['restrictAddressFamilies'],
  writes: [
    'restrictAddressFamilyInet',
    'restrictAddressFamilyUnix',
    'restrictAddressFamilyNetlink',
    'restrictAddressFamilyPacket',
    'restrictAddressFamilyOther',
  ],
  run: (out, values, env) => {
    const af = values.restrictAddressFamilies;
    let buckets = familyBuckets.get(af);
    if (buckets === undefined) familyBuckets.set(af, (buckets = bucketsOf(af)));
    const x = env.hasExec;
    out.restrictAddressFamilyInet = x && (buckets & 1) !== 0;
    out.restrictAddressFamilyUnix = x && (buckets & 2) !== 0;
    out.restrictAddressFamilyNetlink = x && (buckets & 4) !== 0;
    out.restrictAddressFamilyPacket = x && (buckets & 8) !== 0;
    out.restrictAddressFamilyOther = x && (buckets & 16) !== 0;
  },
};
