/** The exposure engine: systemd-analyze security's scoring, without I/O. */
export { score, scoreInputs, systemdRowOrder, type CheckResult, type ScoreOptions, type ScoreResult } from './score';
export { suggest, linesFor, SAFE_CHECKS, SUGGESTION_DROPIN, type Suggestion, type SuggestResult } from './suggest';
export { assessorsFor, assessorSource, type Assessor, type AssessorKind } from './assessors';
export { applyPolicy, policyError, type Policy, type EffectiveCheck } from './policy';
export { BANDS, bandOf, formatTenths, overallExposure, rowExposure, weightedBadness, type Band } from './arithmetic';
export { ASSESS } from './checks';
