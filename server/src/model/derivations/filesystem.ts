/**
 * The mount namespace and what the service sees through it: /proc, /dev, the control groups, the kernel
 * tunables, the root directory or image, and PrivateMounts= as each figure counts it (the manager infers
 * it from the settings that imply a mount namespace; the offline figure copies the setting).
 */
import type { FigureRules } from '../../knowledge/figures';
import type { TypedValues } from '../security-types';
import type { Derivation } from './environment';

export const protectProc: Derivation = {
  reads: ['protectProc'],
  writes: ['protectProc'],
  run: (out, values, env) => {
    out.protectProc = env.hasExec ? values.protectProc : null;
  },
};

export const procSubset: Derivation = {
  reads: ['procSubset'],
  writes: ['procSubset'],
  run: (out, values, env) => {
    out.procSubset = env.hasExec ? values.procSubset : null;
  },
};

export const privateDevices: Derivation = {
  reads: ['booleans.PrivateDevices'],
  writes: ['privateDevices'],
  run: (out, values, env) => {
    out.privateDevices = env.hasExec && values.booleans.PrivateDevices;
  },
};

export const privateMounts: Derivation = {
  // The manager's figure (acquire_security_info()) counts the mount namespace that other settings imply,
  // after DynamicUser= has turned on its own; the offline figure copies the setting (knowledge/figures.ts).
  readsFigure: true,
  reads: [
    'privateMounts',
    'dynamicUser',
    'privateTmp',
    'protectSystem',
    'protectHome',
    'protectControlGroups',
    'booleans.PrivateDevices',
    'booleans.ProtectKernelTunables',
    'booleans.ProtectKernelModules',
    'rootImage',
  ],
  writes: ['privateMounts'],
  run: (out, values, env) => {
    out.privateMounts = env.hasExec && privateMountsSet(values, env.rules.privateMounts);
  },
};

export const protectControlGroups: Derivation = {
  reads: ['protectControlGroups'],
  writes: ['protectControlGroups'],
  run: (out, values, env) => {
    out.protectControlGroups = env.hasExec && values.protectControlGroups !== 'no';
  },
};

export const protectKernelTunables: Derivation = {
  reads: ['booleans.ProtectKernelTunables'],
  writes: ['protectKernelTunables'],
  run: (out, values, env) => {
    out.protectKernelTunables = env.hasExec && values.booleans.ProtectKernelTunables;
  },
};

export const rootDirectory: Derivation = {
  reads: ['rootDirectory'],
  writes: ['rootDirectory'],
  run: (out, values, env) => {
    out.rootDirectory = env.hasExec ? values.rootDirectory : null;
  },
};

export const rootImage: Derivation = {
  reads: ['rootImage'],
  writes: ['rootImage'],
  run: (out, values, env) => {
    out.rootImage = env.hasExec ? values.rootImage : null;
  },
};

/** Whether the analyser sees PrivateMounts= as set, by the figure's rule. */
function privateMountsSet(values: TypedValues, rule: FigureRules['privateMounts']): boolean {
  if (rule === 'explicit') return values.privateMounts === true;
  if (rule === 'unset-counts') return values.privateMounts !== false;
  if (values.privateMounts === true) return true;
  const b = values.booleans;
  return (
    values.dynamicUser ||
    values.privateTmp !== 'no' ||
    values.protectSystem !== 'no' ||
    values.protectHome !== 'no' ||
    values.protectControlGroups !== 'no' ||
    b.PrivateDevices ||
    b.ProtectKernelTunables ||
    b.ProtectKernelModules ||
    values.rootImage !== null
  );
}

/**
 * The settings from which the manager infers the mount namespace (the running rule of privateMountsSet()),
 * as `Key=value` texts in the order that function tests them; empty when none does.
 */
export function privateMountsImpliedBy(values: TypedValues): string[] {
  const b = values.booleans;
  const out: string[] = [];
  if (values.dynamicUser) out.push('DynamicUser=yes');
  if (values.privateTmp !== 'no') out.push(`PrivateTmp=${values.privateTmp}`);
  if (values.protectSystem !== 'no') out.push(`ProtectSystem=${values.protectSystem}`);
  if (values.protectHome !== 'no') out.push(`ProtectHome=${values.protectHome}`);
  if (values.protectControlGroups !== 'no') out.push(`ProtectControlGroups=${values.protectControlGroups}`);
  if (b.PrivateDevices) out.push('PrivateDevices=yes');
  if (b.ProtectKernelTunables) out.push('ProtectKernelTunables=yes');
  if (b.ProtectKernelModules) out.push('ProtectKernelModules=yes');
  if (values.rootImage !== null) out.push('RootImage=');
  return out;
}
