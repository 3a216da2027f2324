/**
 * From folded values to the analyser's inputs: systemd's unit_patch_contexts() (DynamicUser=
 * implications, capabilities dropped by PrivateDevices=/ProtectKernelModules=/ProtectKernelLogs=/
 * ProtectClock=, DevicePolicy= and the device entries systemd adds) and get_security_info() (the exec
 * settings turned into the analyser's booleans and strings, per version).
 *
 * The work is cut into derivations, each declaring the TypedValues fields it reads and the
 * SecurityInputs it writes. Deriving the whole unit runs them all; a variant of a unit that changes a
 * few fields (a suggestion's drop-in) runs only the derivations reading those fields, and only their
 * outputs can differ from the unit's own (derive.test.ts holds the declarations to the code).
 *
 * This file is the one entry: the list of derivations in the order a full derivation runs them, and the
 * ways to run it (whole, the part a few fields feed, the part that reads the figure). The derivations are
 * in derivations/, by what they derive: environment.ts (what they share), identity.ts (user,
 * capabilities), filesystem.ts (the mount namespace, PrivateMounts= by figure), devices.ts, kernel.ts,
 * network.ts, syscalls.ts, service.ts (the rest of how the manager runs the service).
 */
import { defaultDependencies, delegate, hostDependent, keyringMode, notifyAccess, umask } from './derivations/service';
import {
  ambientCapabilities,
  callingUser,
  capabilityBoundingSet,
  dynamicUserImplications,
  supplementaryGroups,
} from './derivations/identity';
import { ipAddressFilters, privateNetwork, restrictAddressFamilies } from './derivations/network';
import {
  privateDevices,
  privateMounts,
  procSubset,
  protectControlGroups,
  protectKernelTunables,
  protectProc,
  rootDirectory,
  rootImage,
} from './derivations/filesystem';
import {
  lockPersonality,
  memoryDenyWriteExecute,
  privateUsers,
  protectClock,
  protectHostname,
  protectKernelLogs,
  protectKernelModules,
  restrictNamespaces,
  restrictRealtime,
} from './derivations/kernel';
import { deviceAccess } from './derivations/devices';
import { systemCallArchitectures, systemCallFilter } from './derivations/syscalls';
import type { Derivation, DeriveEnv } from './derivations/environment';
import type { Refusal, SecurityInputs, TypedValues } from './security-types';
import type { ValueProblem } from './unit-model';
import { type DerivedInput, type FieldPath, type InputAccess, inputAccess } from './property-access';

export type { DerivedInput, FieldPath };
export { deriveEnv, type Derivation, type DeriveEnv } from './derivations/environment';
export { ALL_CAPS } from './derivations/identity';
export { privateMountsImpliedBy } from './derivations/filesystem';

/** The derivations, in the order a full derivation runs them (which fixes the objects' property order). */
export const DERIVATIONS: readonly Derivation[] = [
  defaultDependencies,
  ambientCapabilities,
  capabilityBoundingSet,
  dynamicUserImplications,
  callingUser,
  supplementaryGroups,
  ipAddressFilters,
  keyringMode,
  protectProc,
  procSubset,
  lockPersonality,
  memoryDenyWriteExecute,
  notifyAccess,
  protectHostname,
  privateDevices,
  privateMounts,
  privateNetwork,
  privateUsers,
  protectControlGroups,
  protectKernelModules,
  protectKernelTunables,
  protectKernelLogs,
  protectClock,
  restrictAddressFamilies,
  restrictNamespaces,
  restrictRealtime,
  rootDirectory,
  rootImage,
  delegate,
  deviceAccess,
  systemCallArchitectures,
  systemCallFilter,
  umask,
  hostDependent,
];

/** Every input of `out` from the folded values (every property written, always in the same order). */
export function deriveInto(
  out: SecurityInputs,
  env: DeriveEnv,
  values: TypedValues,
  problems: ValueProblem[],
  refused: Refusal | null,
  base: SecurityInputs | null,
): void {
  out.version = env.version;
  out.unitName = env.model.name;
  out.type = env.model.type;
  for (const d of DERIVATIONS) d.run(out, values, env, base);
  out.refused = refused;
  out.problems = problems;
  out.values = values;
}

export function deriveInputs(
  env: DeriveEnv,
  values: TypedValues,
  problems: ValueProblem[],
  refused: Refusal | null,
  base: SecurityInputs | null,
): SecurityInputs {
  const out = {} as SecurityInputs;
  deriveInto(out, env, values, problems, refused, base);
  return out;
}

/** The derivations reading any of `fields` (in DERIVATIONS order) and the inputs they write. */
export interface PartialDerivation {
  derivations: readonly Derivation[];
  writes: InputAccess;
}

export function derivationsReading(fields: readonly FieldPath[]): PartialDerivation {
  const derivations = DERIVATIONS.filter((d) => d.reads.some((r) => fields.includes(r)));
  return { derivations, writes: inputAccess(derivations.flatMap((d) => d.writes)) };
}

/** The derivations that read the figure (`readsFigure`): the only ones whose outputs the figures can change. */
const FIGURE_READERS: PartialDerivation = {
  derivations: DERIVATIONS.filter((d) => d.readsFigure),
  writes: inputAccess(DERIVATIONS.filter((d) => d.readsFigure).flatMap((d) => d.writes)),
};
const figureScratch = {} as SecurityInputs;
const figureChanged = new Int32Array(FIGURE_READERS.writes.names.length);

/**
 * Whether deriving `base`'s folded values with `env` (another figure's) changes any of its inputs: the
 * derivations that read the figure run again into a scratch object, compared by content with `base`.
 */
export function figureChangesInputs(env: DeriveEnv, base: SecurityInputs): boolean {
  for (const d of FIGURE_READERS.derivations) d.run(figureScratch, base.values, env, base);
  return FIGURE_READERS.writes.changed(figureScratch, base, figureChanged) > 0;
}
