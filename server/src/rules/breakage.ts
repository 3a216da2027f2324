/**
 * Settings that will make the service fail, read on the merged unit (the unit file and its drop-ins):
 * one finder per breaks-… rule (and ambient-outside-bounding-set), each in its own file, listed in
 * FINDERS below; weakens-exposure (weakens.ts) runs with them. What they share is in
 * breakage-context.ts.
 *
 * Each finding sits on the line that makes it so, in whichever file sets it, names the failure the journal
 * will show and what it assumed, and offers a fix that loosens only that setting: a line added after the
 * setting's last assignment, so the rest of what the unit asks stays as it is.
 */
import { typedValues } from '../model/security-inputs';
import type { LoadedFile, UnitModel } from '../model/unit-model';
import { serviceNeedsFor } from '../knowledge/service-needs';
import type { Context } from './breakage-context';
import type { Diagnostic } from './diagnostic';
import { weakensDiagnostics } from './weakens';
import { readOnlyPathBreakage } from './breaks-read-only-path';
import { userSwitchBreakage } from './breaks-user-switch';
import { addressFamilyBreakage } from './breaks-address-family';
import { syscallFilterBreakage } from './breaks-syscall-filter';
import { ambientOutsideBoundingSet } from './ambient-outside-bounding-set';
import { kernelTunablesBreakage } from './breaks-kernel-tunables';
import { privateDevicesBreakage } from './breaks-private-devices';
import { restrictNamespacesBreakage } from './breaks-restrict-namespaces';
import { dynamicUserStaticName } from './dynamic-user-static-name';
import { protectHomeBreakage } from './breaks-protect-home';
import { memoryDenyWriteExecuteBreakage } from './breaks-memory-deny-write-execute';
import { noNewPrivilegesBreakage } from './breaks-no-new-privileges';
import { privateNetworkBreakage } from './breaks-private-network';
import { privateTmpBreakage } from './breaks-private-tmp';
import { protectProcBreakage } from './breaks-protect-proc';
import { lowPortBreakage } from './breaks-low-port';

/** Per-model cache: the findings of every file, computed once (runRules asks file by file). */
const CACHE = Symbol('breakage');
type Cached = UnitModel & { [CACHE]?: Diagnostic[] };

export function breakageDiagnostics(model: UnitModel, file: LoadedFile): Diagnostic[] {
  if (model.type !== 'service') return [];
  const m = model as Cached;
  let all = m[CACHE];
  if (all === undefined) {
    all = [...findBreakage(model), ...weakensDiagnostics(model)];
    Object.defineProperty(m, CACHE, { value: all, enumerable: false });
  }
  return all.filter((d) => d.file === file.path);
}

function findBreakage(model: UnitModel): Diagnostic[] {
  const values = typedValues(model).value;
  const main = values.exec.ExecStart[0];
  // ExecStart=+...: the main process runs with full privileges, outside the sandbox (no bounding set, no
  // system-call or address-family filter, no read-only file system), so none of these apply to it.
  if (main?.fullyPrivileged) return [];
  const needs = serviceNeedsFor(model.name, main?.path);
  const ctx: Context = { model, values, needs, name: model.name };
  return FINDERS.flatMap((find) => find(ctx));
}

/** Every finder, in the order their findings are listed. A rule of its own file is added here. */
const FINDERS: readonly ((ctx: Context) => Diagnostic[])[] = [
  readOnlyPathBreakage,
  userSwitchBreakage,
  addressFamilyBreakage,
  syscallFilterBreakage,
  ambientOutsideBoundingSet,
  memoryDenyWriteExecuteBreakage,
  noNewPrivilegesBreakage,
  restrictNamespacesBreakage,
  protectHomeBreakage,
  dynamicUserStaticName,
  kernelTunablesBreakage,
  privateDevicesBreakage,
  privateNetworkBreakage,
  privateTmpBreakage,
  protectProcBreakage,
  lowPortBreakage,
];
