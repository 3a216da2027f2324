/**
 * What the service may do to the kernel beyond its files: load modules, read its log, set the clock or
 * the hostname, make user and other namespaces, change personality, map writable code, run realtime.
 */
import { ALL_CAPS } from './identity';
import type { Derivation } from './environment';

export const protectHostname: Derivation = {
  reads: ['protectHostname'],
  writes: ['protectHostname'],
  run: (out, values, env) => {
    out.protectHostname = env.hasExec && values.protectHostname.mode !== 'no';
  },
};

export const privateUsers: Derivation = {
  reads: ['privateUsers'],
  writes: ['privateUsers'],
  run: (out, values, env) => {
    out.privateUsers = env.hasExec && values.privateUsers !== 'no';
  },
};

export const protectKernelModules: Derivation = {
  reads: ['booleans.ProtectKernelModules'],
  writes: ['protectKernelModules'],
  run: (out, values, env) => {
    out.protectKernelModules = env.hasExec && values.booleans.ProtectKernelModules;
  },
};

export const protectKernelLogs: Derivation = {
  reads: ['booleans.ProtectKernelLogs'],
  writes: ['protectKernelLogs'],
  run: (out, values, env) => {
    out.protectKernelLogs = env.hasExec && values.booleans.ProtectKernelLogs;
  },
};

export const protectClock: Derivation = {
  reads: ['booleans.ProtectClock'],
  writes: ['protectClock'],
  run: (out, values, env) => {
    // Before 245.5 (dea7e0dd97) the manager does not export ProtectClock, so its row reads it unset.
    out.protectClock = env.hasExec && values.booleans.ProtectClock && !env.logic.protectClockUnexported;
  },
};

export const lockPersonality: Derivation = {
  reads: ['booleans.LockPersonality'],
  writes: ['lockPersonality'],
  run: (out, values, env) => {
    out.lockPersonality = env.hasExec && values.booleans.LockPersonality;
  },
};

export const memoryDenyWriteExecute: Derivation = {
  reads: ['booleans.MemoryDenyWriteExecute'],
  writes: ['memoryDenyWriteExecute'],
  run: (out, values, env) => {
    out.memoryDenyWriteExecute = env.hasExec && values.booleans.MemoryDenyWriteExecute;
  },
};

export const restrictNamespaces: Derivation = {
  reads: ['restrictNamespaces'],
  writes: ['restrictNamespaces'],
  run: (out, values, env) => {
    out.restrictNamespaces = env.hasExec ? values.restrictNamespaces : ALL_CAPS;
  },
};

export const restrictRealtime: Derivation = {
  reads: ['booleans.RestrictRealtime'],
  writes: ['restrictRealtime'],
  run: (out, values, env) => {
    out.restrictRealtime = env.hasExec && values.booleans.RestrictRealtime;
  },
};
