/** assess_ip_address_allow(): the IPAddressDeny=/IPAddressAllow= firewall, in the release's words. */
import { releaseLogic } from '../../knowledge/release-behaviour';
import { type AssessFn, plain } from './assessment';

export const assessIpAddressAllow: AssessFn = (_a, info) => {
  const logic = releaseLogic(info.version);
  // IPIngressFilterPath=/IPEgressFilterPath= count from 243 (fab347489f); until 249.3 the egress setting
  // overwrites the ingress flag, so only it counts (3da57008e7 fixes that).
  const custom = logic.ipFilterPathEgressOnly
    ? info.ipFiltersCustomEgress
    : info.ipFiltersCustomIngress || info.ipFiltersCustomEgress;
  if (logic.ipFilterPathCounts && custom)
    return plain(0, 'Service defines custom ingress/egress IP filters with BPF programs');
  const w = logic.allowListWording;
  if (!info.ipAddressDenyAll) return plain(10, `Service does not define an IP address ${w}`);
  if (info.ipAddressAllowOther) return plain(5, `Service defines IP address ${w} with non-localhost entries`);
  if (info.ipAddressAllowLocalhost)
    return plain(
      2,
      `Service defines IP address ${logic.localhostAllowListTypo ? 'whitelits' : w} with only localhost entries`,
    );
  return plain(0, 'Service blocks all IP address ranges');
};
