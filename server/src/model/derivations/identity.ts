/**
 * Who the service runs as and with which capabilities: DynamicUser= and what it turns on
 * (unit_patch_contexts()), the calling user of a 262 user unit, supplementary groups, and the
 * capabilities PrivateDevices=/ProtectKernelModules=/ProtectKernelLogs=/ProtectClock= drop.
 */
import { dynamicUserName } from '../values/user';
import { loaderRules } from '../loader-rules';
import type { Derivation } from './environment';

const CAP = (n: number): bigint => 1n << BigInt(n);
/** The capabilities unit_patch_contexts() leaves when each setting drops its own. */
const KEEP_PRIVATE_DEVICES = ~(CAP(27) | CAP(17)); // CAP_MKNOD, CAP_SYS_RAWIO
const KEEP_PROTECT_KERNEL_MODULES = ~CAP(16); // CAP_SYS_MODULE
const KEEP_PROTECT_KERNEL_LOGS = ~CAP(34); // CAP_SYSLOG
const KEEP_PROTECT_CLOCK = ~(CAP(25) | CAP(35)); // CAP_SYS_TIME, CAP_WAKE_ALARM
export const ALL_CAPS = (1n << 64n) - 1n;

export const ambientCapabilities: Derivation = {
  reads: ['ambientCapabilities'],
  writes: ['ambientCapabilities'],
  run: (out, values, env) => {
    out.ambientCapabilities = env.hasExec ? values.ambientCapabilities : 0n;
  },
};

export const capabilityBoundingSet: Derivation = {
  reads: [
    'capabilityBoundingSet',
    'booleans.PrivateDevices',
    'booleans.ProtectKernelModules',
    'booleans.ProtectKernelLogs',
    'booleans.ProtectClock',
  ],
  writes: ['capabilityBoundingSet'],
  run: (out, values, env) => {
    if (!env.hasExec) {
      out.capabilityBoundingSet = ALL_CAPS;
      return;
    }
    let cbs = values.capabilityBoundingSet;
    const b = values.booleans;
    if (b.PrivateDevices) cbs &= KEEP_PRIVATE_DEVICES;
    if (b.ProtectKernelModules) cbs &= KEEP_PROTECT_KERNEL_MODULES;
    // ProtectKernelLogs= drops CAP_SYSLOG from 244 (82dce83b19), ProtectClock= its two from 245 (9f37272a19).
    if (b.ProtectKernelLogs && env.logic.protectKernelLogsDropsSyslog) cbs &= KEEP_PROTECT_KERNEL_LOGS;
    if (b.ProtectClock && env.logic.protectClockDropsTimeAndAddsRtc) cbs &= KEEP_PROTECT_CLOCK;
    out.capabilityBoundingSet = cbs;
  },
};

export const dynamicUserImplications: Derivation = {
  // DynamicUser= turns on a set of other settings.
  readsUnitName: true,
  reads: [
    'user',
    'dynamicUser',
    'privateTmp',
    'booleans.RemoveIPC',
    'protectSystem',
    'protectHome',
    'booleans.NoNewPrivileges',
    'booleans.RestrictSUIDSGID',
  ],
  writes: [
    'user',
    'dynamicUser',
    'privateTmp',
    'removeIPC',
    'protectSystem',
    'protectHome',
    'noNewPrivileges',
    'restrictSUIDSGID',
  ],
  run: (out, values, env) => {
    const b = values.booleans;
    let user = values.user;
    let privateTmp = values.privateTmp;
    let removeIPC = b.RemoveIPC;
    let protectSystem = values.protectSystem;
    let protectHome = values.protectHome;
    let nnp = b.NoNewPrivileges;
    let suid = b.RestrictSUIDSGID;
    if (values.dynamicUser) {
      if (user === null) user = dynamicUserName(env.model.name);
      if (env.version >= 257) {
        if (privateTmp === 'no') privateTmp = 'disconnected';
      } else privateTmp = 'yes';
      removeIPC = true;
      protectSystem = 'strict';
      if (protectHome === 'no') protectHome = 'read-only';
      // bf65b7e0c9 (242; in 239-50 as a backport, not in 240 and 241).
      if (env.logic.dynamicUserImpliesNnpSuid) {
        nnp = true;
        suid = true;
      }
    }
    const x = env.hasExec;
    out.user = x ? user : null;
    out.dynamicUser = x && values.dynamicUser;
    out.privateTmp = x && privateTmp !== 'no';
    out.removeIPC = x && removeIPC;
    out.protectSystem = x ? protectSystem : null;
    out.protectHome = x ? protectHome : null;
    out.noNewPrivileges = x && nnp;
    out.restrictSUIDSGID = x && suid;
  },
};

export const callingUser: Derivation = {
  // 262 assesses a user unit as its calling user (loader-rules.ts, from the data).
  readsUnitName: true,
  reads: [],
  writes: ['callingUser'],
  run: (out, _values, env) => {
    out.callingUser =
      env.hasExec && env.model.scope === 'user' && loaderRules(env.model.version).userScope === 'calling-user';
  },
};

export const supplementaryGroups: Derivation = {
  reads: ['supplementaryGroups'],
  writes: ['supplementaryGroups'],
  run: (out, values, env) => {
    out.supplementaryGroups = env.hasExec ? values.supplementaryGroups : [];
  },
};
