/**
 * System units and user units. A unit file in one of the user manager's folders (systemd.unit(5),
 * "Unit File Load Path": ~/.config/systemd/user, /etc/systemd/user, /usr/lib/systemd/user, …) is a
 * user unit: `systemd-analyze --user` loads it with the user manager's defaults and search path, and
 * some versions score it differently (loader-rules.ts, assessors.json `userScope`). The scope is read
 * from the path here (no disk access); an adapter may force it (the CLI's --user / --system).
 */

/** Which manager loads the unit. */
export type UnitScope = 'system' | 'user';

/**
 * The user search path's folders that are the same for every user (user_dirs() in
 * src/basic/path-lookup.c, with the default XDG_CONFIG_DIRS and XDG_DATA_DIRS), highest priority
 * first, and the folders under the home and runtime folders (~ and $XDG_RUNTIME_DIR = /run/user/UID).
 */
const HOME_CONFIG = ['/.config/systemd/user.control', '/.config/systemd/user'] as const;
const HOME_DATA = '/.local/share/systemd/user';
const RUNTIME = ['user.control', 'transient', 'generator.early', 'user', 'generator', 'generator.late'] as const;
const GLOBAL_CONFIG = ['/etc/xdg/systemd/user', '/etc/systemd/user', '/run/systemd/user'] as const;
const GLOBAL_DATA = [
  '/usr/local/share/systemd/user',
  '/usr/share/systemd/user',
  '/usr/local/lib/systemd/user',
  '/usr/lib/systemd/user',
] as const;

/**
 * The user unit search path, highest priority first (systemd.unit(5); the same in every release
 * 239–262). `home` is the user's home folder and `runtime` their $XDG_RUNTIME_DIR; the folders under
 * an unknown one are left out. `root` is prefixed to the others (a tree such as /srv/img).
 */
export function userSearchPath(root = '', home: string | null = null, runtime: string | null = null): string[] {
  const out: Array<string | null> = [
    home && home + HOME_CONFIG[0],
    runtime && `${runtime}/systemd/user.control`,
    runtime && `${runtime}/systemd/transient`,
    runtime && `${runtime}/systemd/generator.early`,
    home && home + HOME_CONFIG[1],
    root + GLOBAL_CONFIG[0],
    root + GLOBAL_CONFIG[1],
    runtime && `${runtime}/systemd/user`,
    root + GLOBAL_CONFIG[2],
    runtime && `${runtime}/systemd/generator`,
    home && home + HOME_DATA,
    ...GLOBAL_DATA.map((d) => root + d),
    runtime && `${runtime}/systemd/generator.late`,
  ];
  return out.filter((d): d is string => d !== null && d !== '');
}

/** Where a folder sits in the user search path: the root, home or runtime folder it implies. */
export interface UserFolder {
  root: string;
  home: string | null;
  runtime: string | null;
}

/** The user search-path folder `folder` is, or null when it is none of them. */
export function userFolderOf(folder: string): UserFolder | null {
  const f = folder.length > 1 && folder.endsWith('/') ? folder.slice(0, -1) : folder;
  for (const d of [...HOME_CONFIG, HOME_DATA]) {
    if (f.endsWith(d) && f.length > d.length) return { root: '', home: f.slice(0, f.length - d.length), runtime: null };
  }
  const run = /^(.*\/run\/user\/\d+)\/systemd\/([a-z.]+)$/.exec(f);
  if (run && (RUNTIME as readonly string[]).includes(run[2]!)) return { root: '', home: null, runtime: run[1]! };
  for (const d of [...GLOBAL_CONFIG, ...GLOBAL_DATA]) {
    if (f !== d && !f.endsWith(d)) continue;
    const root = f.slice(0, f.length - d.length);
    if (root === '' || root.startsWith('/')) return { root, home: null, runtime: null };
  }
  return null;
}

/** The folder a unit's file is in; for a drop-in (`DIR/NAME.d/x.conf`), DIR. */
function unitFolderOf(path: string): string {
  const i = path.lastIndexOf('/');
  const dir = i <= 0 ? (i === 0 ? '/' : '') : path.slice(0, i);
  if (!path.endsWith('.conf') || !dir.endsWith('.d')) return dir;
  const j = dir.lastIndexOf('/');
  return j <= 0 ? (j === 0 ? '/' : '') : dir.slice(0, j);
}

/** The scope of a unit whose file (or drop-in) is at `path`: user in a user search-path folder, else system. */
export function scopeOfPath(path: string): UnitScope {
  return userFolderOf(unitFolderOf(path)) ? 'user' : 'system';
}
