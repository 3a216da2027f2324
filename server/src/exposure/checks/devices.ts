/** assess_device_allow(): DevicePolicy= closed/strict, and which devices DeviceAllow= still opens. */
import { releaseLogic } from '../../knowledge/release-behaviour';
import { type AssessFn, plain } from './assessment';

export const assessDeviceAllow: AssessFn = (_a, info) => {
  if (info.devicePolicy === 'strict' || info.devicePolicy === 'closed') {
    if (info.deviceAllow.length)
      // The list is printed from 251 (6a59dfa108).
      return plain(
        5,
        releaseLogic(info.version).deviceAllowListed
          ? `Service has a device ACL with some special devices: ${info.deviceAllow.join(' ')}`
          : 'Service has a device ACL with some special devices',
      );
    return plain(0, 'Service has a minimal device ACL');
  }
  return plain(10, 'Service has no device ACL');
};
