/**
 * Values that would cut the service off, for completion: it never preselects them and lists them
 * last, saying why. The breakage analysis of suggestions (exposure/breakage.ts: the network a unit
 * uses, the families, calls and capabilities a known service needs) judges the line as it would be
 * with the value; an allow-list of address families without AF_INET and AF_INET6 (`none` included)
 * cuts a network user off IP as surely as a deny-list of them does.
 */
import { breakageChecker, cutLines } from '../exposure/breakage';
import { usesNetwork } from '../exposure/hold-backs';
import type { UnitModel } from '../model/unit-model';

/** Settings whose breakage rule reads the value itself (a `~` list, `strict`); the others break only when turned on. */
const VALUE_RULES = new Set(['RestrictAddressFamilies', 'SystemCallFilter', 'CapabilityBoundingSet', 'ProtectSystem']);

/** Whether the value restricts the service at all (the rules judge the restriction, not its absence). */
function restricts(key: string, value: string, on: boolean): boolean {
  if (VALUE_RULES.has(key) || on) return true;
  if (key === 'IPAddressDeny') return /(^|\s)(any|0\.0\.0\.0\/0|::\/0)(\s|$)/.test(value);
  if (key === 'DevicePolicy') return value === 'closed' || value === 'strict';
  return false;
}

/** For one directive of the unit: why the line `key=value` would cut the service off, or null. */
export function cutOffChecker(model: UnitModel, key: string): (value: string) => string | null {
  const check = breakageChecker(model);
  let network: string | null | undefined;
  return (value) => {
    const [line] = cutLines([`${key}=${value}`]);
    const why = line && restricts(key, value.trim(), line.on) ? check([line]) : null;
    if (why) return why;
    if (key === 'RestrictAddressFamilies') {
      const v = value.trim();
      if (v === '' || v.startsWith('~')) return null;
      const words = v.split(/\s+/).map((x) => x.toUpperCase());
      if (words.includes('AF_INET') || words.includes('AF_INET6')) return null;
      network ??= usesNetwork(model);
      return network
        ? `the service uses the network (${network}), and ${v === 'none' ? 'none' : 'this list'} leaves out AF_INET and AF_INET6`
        : null;
    }
    return null;
  };
}
