/** assess_restrict_namespaces(): bad while the namespace type may still be created. */
import { namespaceTypes } from '../../knowledge/vocabulary';
import { type AssessFn, plain } from './types';

function flagOf(cloneFlag: string): bigint {
  const t = namespaceTypes().find((n) => n.cloneFlag === cloneFlag);
  if (!t) throw new Error(`unknown namespace flag ${cloneFlag} in the assessor table`);
  return BigInt(t.value);
}

export const assessRestrictNamespaces: AssessFn = (a, info) =>
  plain((info.restrictNamespaces & flagOf(a.parameters?.namespace ?? '')) !== 0n ? 1 : 0);
