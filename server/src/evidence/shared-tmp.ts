/**
 * A socket the unit puts under /tmp or /var/tmp for other processes to open, as its command lines
 * or Environment= name it: `unix:/tmp/app`, `--socket=/tmp/app`, `--listen /tmp/app`, any
 * `/tmp/….sock` path (`-s /tmp/memcached.sock`), or a variable named like a socket
 * (`APP_SOCKET=/tmp/app`). With
 * PrivateTmp=yes the service has a /tmp and /var/tmp of its own: the socket is created there, and
 * every other process, looking in the host's /tmp, does not find it. Strong evidence for
 * breaks-private-tmp (rules/breaks-private-tmp.ts) and the hold-back of PrivateTmp= suggestions
 * (exposure/breakage.ts). A temporary file of the service's own is no evidence; units that share
 * their namespace with others (JoinsNamespaceOf=) are left alone, since those see the same /tmp.
 */
import { effectiveListAssignments } from '../model/build';
import type { UnitModel } from '../model/unit-model';

export interface SharedTmp {
  /** The path under /tmp or /var/tmp. */
  path: string;
  /** Where the unit names it: `ExecStart=`, `Environment=`. */
  where: string;
}

const PATTERNS: readonly RegExp[] = [
  // unix:/tmp/x, unix:///tmp/x
  /\bunix:(?:\/\/)?(\/(?:var\/)?tmp\/[^\s'";,]+)/,
  // --socket=/tmp/x, --unix-socket /tmp/x, -socket /tmp/x, --listen /tmp/x (not -s or --bind: ln -s, bind mounts)
  /(?:^|\s)--?[\w.-]*(?:sock|listen)[\w.-]*(?:=|\s+)['"]?(\/(?:var\/)?tmp\/[^\s'";,]+)/i,
  // /tmp/app.sock, /tmp/app.socket
  /(?:^|[\s='"])(\/(?:var\/)?tmp\/[^\s'";,]+?\.sock(?:et)?)(?=$|[\s'";,])/,
  // a variable whose name says it holds a socket: APP_SOCKET=/tmp/x, SSH_AUTH_SOCK=/tmp/x
  /(?:^|\s)['"]?[A-Z0-9_]*SOCK[A-Z0-9_]*=(\/(?:var\/)?tmp\/[^\s'";,]+)/,
];

/** The first path in a command line or an Environment= value that is a socket under /tmp for others, or null. */
export function sharedTmpIn(text: string): string | null {
  for (const re of PATTERNS) {
    const m = re.exec(text);
    if (m) return m[1]!;
  }
  return null;
}

const KEYS = ['ExecStartPre', 'ExecStart', 'ExecStartPost', 'Environment'];

/** The socket the unit puts under /tmp for other processes, or null. */
export function sharedTmp(model: UnitModel): SharedTmp | null {
  if ((model.settings.get('Unit.JoinsNamespaceOf') ?? []).some((a) => a.value.trim() !== '')) return null;
  for (const key of KEYS) {
    for (const a of effectiveListAssignments(model, 'Service', key)) {
      const path = sharedTmpIn(a.value);
      if (path) return { path, where: `${key}=` };
    }
  }
  return null;
}
