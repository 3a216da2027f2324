/**
 * DevicePolicy= and DeviceAllow= as the analyser sees them: PrivateDevices= closes the policy, and a
 * closed policy gets the device entries systemd adds (RootImage=/MountImages= loop devices, the
 * ProtectClock= rtc, the TPM of encrypted credentials), per release.
 */
import { deviceAllowEntry, formatDeviceAllow } from '../values/device-allow';
import type { Derivation } from './environment';

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const deviceAccess: Derivation = {
  reads: [
    'devicePolicy',
    'deviceAllow',
    'booleans.PrivateDevices',
    'rootImage',
    'mountImages',
    'booleans.ProtectClock',
    'service',
  ],
  writes: ['devicePolicy', 'deviceAllow'],
  run: (out, values, env, base) => {
    let devicePolicy = values.devicePolicy;
    let deviceAllow = values.deviceAllow;
    const b = values.booleans;
    if (b.PrivateDevices && devicePolicy === 'auto') devicePolicy = 'closed';
    if (devicePolicy !== 'auto' || deviceAllow.length) {
      const add = (path: string, rights: string) => {
        deviceAllow = [deviceAllowEntry(path, rights), ...deviceAllow];
      };
      if ((values.rootImage || values.mountImages) && env.logic.rootImageAddsDeviceAllow) {
        add('/dev/loop-control', 'rw');
        add('/dev/mapper/control', 'rw');
        add('block-loop', 'rwm');
        add('block-blkext', 'rwm');
        add('block-device-mapper', 'rwm');
      }
      if (b.ProtectClock && env.logic.protectClockDropsTimeAndAddsRtc) add('char-rtc', 'r'); // fc64760dda (245)
      if (values.service.hasEncryptedCredentials && env.version < 262)
        add(env.version >= 254 ? 'char-tpm' : '/dev/tpmrm0', 'rw');
    }
    let text: string[] = deviceAllow.length ? deviceAllow.map(formatDeviceAllow) : [];
    if (base && sameStrings(base.deviceAllow, text)) text = base.deviceAllow;
    out.devicePolicy = env.hasCgroup ? devicePolicy : null;
    out.deviceAllow = env.hasCgroup ? text : [];
  },
};
