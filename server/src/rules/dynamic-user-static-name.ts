/**
 * dynamic-user-static-name: DynamicUser=yes together with a User= that names a user systemd finds
 * statically. systemd (src/core/dynamic-user.c, dynamic_user_realize(), the same in 252 and 257) first
 * parses the name as a numeric UID, then looks it up with getpwnam(); only when neither finds a user does
 * it allocate one from 61184…65519. A static user is used as it is (systemd.exec(5): "If a statically
 * allocated user or group of the configured name already exists, it is used and no dynamic user/group is
 * allocated"), so the service does not run under a transient user, only with the sandbox DynamicUser=
 * implies (ProtectSystem=strict, PrivateTmp=, RemoveIPC=, NoNewPrivileges=...).
 *
 * Only names that exist on every system are flagged: root and 0 (the service runs as root), any other
 * number (used as the UID whatever /etc/passwd says), and nobody (nss-systemd provides it when
 * /etc/passwd does not). Booted on Debian 12 with `ExecStartPre=/usr/bin/id` (test/boot/cases.json
 * nginx-dynamic-user-root, nginx-dynamic-user-uid): "uid=0(root) gid=0(root) groups=0(root)" for
 * User=root, "uid=33(www-data) gid=33(www-data) groups=33(www-data)" for User=33, and
 * "uid=65534(nobody) gid=65534(nogroup)" for User=nobody, where DynamicUser=yes alone gave "uid=65348".
 * Other names depend on the system the unit runs on (User=www-data was static there too), so they are not flagged.
 */
import { lastAssignment } from '../model/build';
import { type Context, later, lineAfter, lineSpan } from './breakage-context';
import type { Diagnostic } from './diagnostic';
import { alwaysStaticUser } from '../knowledge/static-users';

/** What the name is, when systemd always finds it statically; null otherwise. */
function staticUser(user: string): string | null {
  const kind = alwaysStaticUser(user);
  if (kind === 'root') return 'the service runs as root (UID 0): "uid=0(root) gid=0(root) groups=0(root)"';
  if (kind === 'uid')
    return `it is a UID, which systemd uses as it is: the service runs as UID ${user} (booted with User=33: "uid=33(www-data) gid=33(www-data) groups=33(www-data)")`;
  if (kind === 'nobody')
    return 'nobody always exists (nss-systemd provides it when /etc/passwd does not): the service runs as nobody, shared with other services ("uid=65534(nobody)")';
  return null;
}

export function dynamicUserStaticName(ctx: Context): Diagnostic[] {
  const { model, values } = ctx;
  if (!values.dynamicUser || values.user === null) return [];
  const why = staticUser(values.user);
  if (why === null) return [];
  const userLine = lastAssignment(model, 'Service', 'User');
  const dynLine = lastAssignment(model, 'Service', 'DynamicUser');
  if (!userLine || !dynLine) return [];
  return [
    {
      code: 'dynamic-user-static-name',
      severity: 'warning',
      message:
        `DynamicUser=yes allocates no user here: User=${values.user} names a user systemd finds statically, and a static user is used as it is, so ${why}. ` +
        `Only the sandbox DynamicUser=yes implies applies (ProtectSystem=strict, PrivateTmp=yes, NoNewPrivileges=yes...). ` +
        `To run under a transient user, reset the name with an empty User= (the user is then named after the unit), or name a user that does not exist.`,
      file: userLine.file.path,
      span: lineSpan(userLine),
      fixes: [
        {
          title: 'Let DynamicUser=yes allocate a user (add User= with no value)',
          edits: [lineAfter(later(userLine, dynLine), ['User='])],
        },
      ],
    },
  ];
}
