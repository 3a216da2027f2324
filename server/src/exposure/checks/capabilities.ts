/** assess_capability_bounding_set() and assess_ambient_capabilities(). */
import { capability } from '../../knowledge/vocabulary';
import { type AssessFn, plain } from './types';

const masks = new Map<string, bigint>();

/** The mask of a check's capability names (CAP_SETUID|CAP_SETGID|...). */
export function capabilityMask(names: readonly string[]): bigint {
  const key = names.join('|');
  let m = masks.get(key);
  if (m === undefined) {
    m = 0n;
    for (const n of names) {
      const c = capability(n);
      if (!c) throw new Error(`unknown capability ${n} in the assessor table`);
      m |= 1n << BigInt(c.number);
    }
    masks.set(key, m);
  }
  return m;
}

export const assessCapabilityBoundingSet: AssessFn = (a, info) =>
  plain((info.capabilityBoundingSet & capabilityMask(a.parameters?.capabilities ?? [])) !== 0n ? 1 : 0);

export const assessAmbientCapabilities: AssessFn = (_a, info) => plain(info.ambientCapabilities !== 0n ? 1 : 0);
