/** The shape of a hold-back: why a line of one setting would probably break the service, or null. */
import type { UnitModel } from '../../model/unit-model';
import type { UnitFacts } from './unit-facts';

/** Why a line of one setting (`value` is what it assigns) would probably break the service, or null. */
export type HoldBack = (model: UnitModel, facts: UnitFacts, value: string) => string | null;

/** Hold-backs by the setting they judge. */
export type HoldBacks = readonly (readonly [string, HoldBack])[];
