/**
 * User names systemd always finds statically, so that DynamicUser=yes allocates no user for them
 * (dynamic_user_realize() parses a number as the UID and looks a name up before allocating): root and 0,
 * any other number, and nobody (nss-systemd provides it when /etc/passwd does not). Shared by the
 * dynamic-user-static-name rule and the suggestion hold-back (exposure/breakage.ts).
 */
export type StaticUser = 'root' | 'uid' | 'nobody';

export function alwaysStaticUser(user: string): StaticUser | null {
  if (user === 'root' || user === '0') return 'root';
  if (/^\d+$/.test(user)) return 'uid';
  if (user === 'nobody') return 'nobody';
  return null;
}
