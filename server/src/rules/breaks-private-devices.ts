/**
 * breaks-private-devices: PrivateDevices=yes gives the service a /dev of its own with only the pseudo
 * devices, while the unit shows it uses another device (evidence/device-use.ts: a device path on a
 * command line or in Environment=, `ip tuntap add`; not DeviceAllow=, which grants a device the
 * service may do without).
 * Booted on Debian 12 (test/boot/cases.json, nginx-tuntap-*): with
 * `ExecStartPre=/usr/sbin/ip tuntap add dev tun9 mode tun` the journal shows `open: No such file or
 * directory` (/dev/net/tun is missing) and the start fails; without PrivateDevices=yes it starts.
 *
 * The fix is PrivateDevices=no after the setting (it has no parts). The `+` prefix is not offered:
 * PrivateDevices=yes also sets DevicePolicy=closed, a cgroup filter that applies to `+` commands too.
 */
import { lastAssignment } from '../model/build';
import { deviceUses } from '../evidence/device-use';
import { lineAfter, lineSpan, type Context } from './breakage-context';
import { consequenceOf } from './breaks-kernel-tunables';
import type { Diagnostic } from './diagnostic';

export function privateDevicesBreakage(ctx: Context): Diagnostic[] {
  const { model, values } = ctx;
  if (!values.booleans.PrivateDevices) return [];
  const setting = lastAssignment(model, 'Service', 'PrivateDevices');
  if (!setting) return [];
  const uses = deviceUses(model, values);
  if (uses.length === 0) return [];
  const u = uses[0]!;
  const what = u.key
    ? `${u.evidence} uses ${u.device}: opening it fails ("${/\btuntap\b/.test(u.evidence) ? 'open: ' : ''}No such file or directory") and ${consequenceOf(u.key)}`
    : `${u.evidence} names ${u.device}, which the service's /dev will not have: opening it fails with "No such file or directory"`;
  const more =
    uses.length > 1
      ? ` (it also uses ${uses
          .slice(1)
          .map((x) => x.device)
          .join(', ')})`
      : '';
  const off = 'PrivateDevices=no';
  return [
    {
      code: 'breaks-private-devices',
      severity: 'warning',
      message:
        `PrivateDevices=yes gives ${ctx.name} a /dev with only pseudo devices (/dev/null, zero, full, random, urandom, tty, pts, shm), ` +
        `but ${what}${more}. ${off} after this line keeps the host's devices (when only some are needed, systemd.exec(5) suggests DeviceAllow= instead).`,
      file: setting.file.path,
      span: lineSpan(setting),
      fixes: [{ title: `Keep the host's devices (add ${off})`, edits: [lineAfter(setting, [off])], preferred: true }],
    },
  ];
}
