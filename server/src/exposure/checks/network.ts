/** assess_ip_address_allow(): the IPAddressDeny=/IPAddressAllow= firewall. */
import { type AssessFn, plain } from './assessment';

export const assessIpAddressAllow: AssessFn = (_a, info) => {
  if (info.ipFiltersCustomIngress || info.ipFiltersCustomEgress)
    return plain(0, 'Service defines custom ingress/egress IP filters with BPF programs');
  if (!info.ipAddressDenyAll) return plain(10, 'Service does not define an IP address allow list');
  if (info.ipAddressAllowOther) return plain(5, 'Service defines IP address allow list with non-localhost entries');
  if (info.ipAddressAllowLocalhost)
    return plain(2, 'Service defines IP address allow list with only localhost entries');
  return plain(0, 'Service blocks all IP address ranges');
};
