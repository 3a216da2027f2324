/** Whether a unit looks like it talks to the network, the evidence that holds PrivateNetwork= and IP settings back. */
import { effectiveListAssignments, lastAssignment } from '../../model/build';
import type { UnitModel } from '../../model/unit-model';
import { ipUse } from '../../evidence/network-use';
import { serviceNeedsFor } from '../../knowledge/service-needs';
import { firstWord, settingValues, startCommandsText } from './command-lines';

const NETWORK_TARGETS = /(^|\s)network(-online)?\.target(\s|$)/;
const URL_OR_PORT =
  /(\b[a-z][a-z0-9+.-]*:\/\/)|(\s--?(listen|port|bind|host)\b)|(\b\d{1,3}(\.\d{1,3}){3}:\d+\b)|(\[[0-9a-f:]+\]:\d+)|(\blocalhost:\d+\b)|(\s:\d{2,5}\b)/i;

/**
 * Why the unit looks like it talks to the network, or null. The strong evidence of the
 * breaks-private-network warning (evidence/network-use.ts) comes first, with the known service of
 * the unit's effective main program as the warning finds it, so this is never weaker than the warning.
 */
export function usesNetwork(model: UnitModel): string | null {
  const main = firstWord(effectiveListAssignments(model, 'Service', 'ExecStart')[0]?.value ?? '');
  const strong = ipUse(model, serviceNeedsFor(model.name, main));
  if (strong) return strong.evidence;
  for (const k of ['After', 'Wants', 'Requires', 'BindsTo']) {
    if (settingValues(model, 'Unit', k).some((v) => NETWORK_TARGETS.test(v)))
      return `it orders itself after network.target or network-online.target (${k}=)`;
  }
  if (settingValues(model, 'Service', 'Sockets').length) return 'it is activated by sockets (Sockets=)';
  if (settingValues(model, 'Service', 'IPAddressAllow').some((v) => v.trim() !== ''))
    return 'it allows IP addresses (IPAddressAllow=)';
  if (URL_OR_PORT.test(' ' + startCommandsText(model))) return 'its command line names a URL, address or port';
  const families = lastAssignment(model, 'Service', 'RestrictAddressFamilies')?.value ?? '';
  if (families && !families.startsWith('~') && /AF_INET/.test(families))
    return 'it allows AF_INET sockets (RestrictAddressFamilies=)';
  return null;
}
