import type { SecurityInputs } from '../../model/security-inputs';
import type { Assessor } from '../assessors';

/** What an assess_* function returns: a badness 0..range (null = not applicable) and maybe its own text. */
export interface Assessment {
  badness: number | null;
  description: string | null;
}

export interface CheckContext {
  /** Which libseccomp table decides which system calls exist (see SecurityInputOptions). */
  seccompTable: 'distribution' | 'oracle';
}

export type AssessFn = (a: Assessor, info: SecurityInputs, ctx: CheckContext) => Assessment;

const PLAIN_NA: Assessment = Object.freeze({ badness: null, description: null });
const PLAIN: readonly Assessment[] = Array.from({ length: 11 }, (_, b) =>
  Object.freeze({ badness: b, description: null }),
);

/** A badness and maybe a text (results without a text are shared, frozen objects). */
export const plain = (badness: number | null, description: string | null = null): Assessment => {
  if (description !== null) return { badness, description };
  if (badness === null) return PLAIN_NA;
  return PLAIN[badness] ?? { badness, description };
};

/** security_info_runs_privileged(): User= is 0/root, or unset without DynamicUser=. */
export function runsPrivileged(info: SecurityInputs): boolean {
  if (info.user === '0' || info.user === 'root') return true;
  if (info.dynamicUser) return false;
  return info.user === null || info.user === '';
}
