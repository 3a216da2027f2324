/** assess_device_allow(): DevicePolicy= closed/strict, and which devices DeviceAllow= still opens. */
import { type AssessFn, plain } from './assessment';

export const assessDeviceAllow: AssessFn = (_a, info) => {
  if (info.devicePolicy === 'strict' || info.devicePolicy === 'closed') {
    if (info.deviceAllow.length)
      return plain(5, `Service has a device ACL with some special devices: ${info.deviceAllow.join(' ')}`);
    return plain(0, 'Service has a minimal device ACL');
  }
  return plain(10, 'Service has no device ACL');
};
