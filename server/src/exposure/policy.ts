/**
 * `--security-policy=FILE`: a JSON object keyed by json_field; each value an object that may set
 * `weight` and `range` (unsigned integers) and `description_good`/`description_bad`/
 * `description_na` (strings). Entries of the wrong type are ignored (systemd logs them at debug
 * level). Weight 0 makes the check "not applicable" ("Option excluded by policy, skipping").
 * Up to 257 a policy that is not an object is ignored; 258+ refuses it.
 */
import type { Assessor } from './assessors';
import { targetVersion } from '../model/values/folded';

export type Policy = unknown;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** json_variant_is_unsigned(): a non-negative integer. */
function isUnsigned(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

export interface EffectiveCheck {
  weight: number;
  range: number;
  description_good: string | null;
  description_bad: string | null;
  description_na: string | null;
}

/** Whether systemd accepts the policy at all (258+ wants an object). */
export function policyError(policy: Policy, version: number): string | null {
  if (policy === undefined) return null;
  if (targetVersion(version) >= 262 && !isObject(policy))
    return 'Failed to parse security policy: the policy must be a JSON object';
  return null;
}

export function applyPolicy(a: Assessor, policy: Policy): EffectiveCheck {
  const out: EffectiveCheck = {
    weight: a.weight,
    range: a.range,
    description_good: a.description_good,
    description_bad: a.description_bad,
    description_na: a.description_na,
  };
  if (!isObject(policy)) return out;
  const item = policy[a.json_field];
  if (!isObject(item)) return out;
  if (isUnsigned(item.weight)) out.weight = item.weight;
  if (isUnsigned(item.range)) out.range = item.range;
  for (const k of ['description_good', 'description_bad', 'description_na'] as const) {
    if (typeof item[k] === 'string') out[k] = item[k] as string;
  }
  return out;
}
