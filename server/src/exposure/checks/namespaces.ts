/** assess_restrict_namespaces(): bad while the namespace type may still be created. */
import { namespaceTypes } from '../../knowledge/vocabulary';
import type { Assessor } from '../assessors';
import { type AssessFn, plain } from './assessment';

const flags = new Map<string, bigint>();

/** The clone flag a check tests. */
export function namespaceMask(cloneFlag: string): bigint {
  return flagOf(cloneFlag);
}

function flagOf(cloneFlag: string): bigint {
  let f = flags.get(cloneFlag);
  if (f !== undefined) return f;
  const t = namespaceTypes().find((n) => n.cloneFlag === cloneFlag);
  if (!t) throw new Error(`unknown namespace flag ${cloneFlag} in the assessor table`);
  f = BigInt(t.value);
  flags.set(cloneFlag, f);
  return f;
}

/** assessRestrictNamespaces() for one check, its flag looked up once. */
export function prepareRestrictNamespaces(a: Assessor): AssessFn {
  const flag = flagOf(a.parameters?.namespace ?? '');
  const bad = plain(1);
  const good = plain(0);
  return (_a, info) => ((info.restrictNamespaces & flag) !== 0n ? bad : good);
}

export const assessRestrictNamespaces: AssessFn = (a, info) =>
  plain((info.restrictNamespaces & flagOf(a.parameters?.namespace ?? '')) !== 0n ? 1 : 0);
