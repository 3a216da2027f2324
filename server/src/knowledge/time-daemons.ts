/**
 * Programs whose job is to set or steer the system clock: NTP and PTP daemons. ProtectClock=yes
 * denies them the clock (systemd.exec(5): "It is recommended to turn this on for most services that
 * do not need modify the clock or check its state"; it drops CAP_SYS_TIME and CAP_WAKE_ALARM and
 * denies the @clock system calls), and so does a bounding set without CAP_SYS_TIME.
 *
 * Used only to hold those settings back from suggestions (exposure/breakage.ts), never for a warning:
 * a time daemon cannot be booted here without letting it set the host's clock (systemd-nspawn keeps
 * CAP_SYS_TIME out of its guests, and Debian's chrony.service has ConditionCapability=CAP_SYS_TIME), so
 * no breakage claim about them is proven by a boot.
 */
const TIME_DAEMONS = new Set([
  'chronyd',
  'ntpd',
  'openntpd',
  'systemd-timesyncd',
  'ptp4l',
  'phc2sys',
  'ts2phc',
  'timemaster',
  'gpsd',
]);

/** The time daemon a command's program is, by its file name, or null. */
export function timeDaemon(program: string): string | null {
  const name = program.slice(program.lastIndexOf('/') + 1);
  return TIME_DAEMONS.has(name) ? name : null;
}
