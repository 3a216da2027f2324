/** assess_capability_bounding_set() and assess_ambient_capabilities(). */
import { capability } from '../../knowledge/vocabulary';
import type { Assessor } from '../assessors';
import { type AssessFn, plain } from './assessment';

const masks = new Map<string, bigint>();
const masksOfList = new WeakMap<readonly string[], bigint>();

/** The mask of a check's capability names (CAP_SETUID|CAP_SETGID|...). */
export function capabilityMask(names: readonly string[]): bigint {
  let m = masksOfList.get(names);
  if (m !== undefined) return m;
  const key = names.join('|');
  m = masks.get(key);
  if (m === undefined) {
    m = 0n;
    for (const n of names) {
      const c = capability(n);
      if (!c) throw new Error(`unknown capability ${n} in the assessor table`);
      m |= 1n << BigInt(c.number);
    }
    masks.set(key, m);
  }
  masksOfList.set(names, m);
  return m;
}

const NONE: readonly string[] = [];

/** assessCapabilityBoundingSet() for one check, its mask computed once. */
export function prepareCapabilityBoundingSet(a: Assessor): AssessFn {
  const mask = capabilityMask(a.parameters?.capabilities ?? NONE);
  const bad = plain(1);
  const good = plain(0);
  return (_a, info) => ((info.capabilityBoundingSet & mask) !== 0n ? bad : good);
}

export const assessCapabilityBoundingSet: AssessFn = (a, info) =>
  plain((info.capabilityBoundingSet & capabilityMask(a.parameters?.capabilities ?? NONE)) !== 0n ? 1 : 0);

export const assessAmbientCapabilities: AssessFn = (_a, info) => plain(info.ambientCapabilities !== 0n ? 1 : 0);
