/**
 * breaks-protect-home: ProtectHome=yes or tmpfs while the unit's own program or working folder lies
 * below /home, /root or /run/user. With yes the three folders are empty and inaccessible, with tmpfs
 * empty; what was below them is gone for the service (booted on Debian 12, test/boot/cases.json):
 *
 * - a program there: "Failed to locate executable /home/app/bin/home-app: No such file or directory",
 *   status=203/EXEC (home-app-protect-home, and the same with tmpfs; from 256 "Unable to locate
 *   executable '/home/app/bin/home-app'", booted on Debian 13);
 * - a working folder there: "Changing to the requested working directory failed: No such file or
 *   directory", status=200/CHDIR (nginx-workdir-protect-home, WorkingDirectory=/root/.ssh).
 *
 * Not flagged, as the boots showed they work: the folders themselves (WorkingDirectory=/root runs, the
 * empty folder is still there), EnvironmentFile= (systemd reads it before it sets up the sandbox),
 * a path made visible again by BindPaths= or BindReadOnlyPaths= (with tmpfs). Also not flagged: commands
 * with `+` (outside the sandbox) or `-` (a failure to run them is ignored), WorkingDirectory=-…, and
 * units with RootDirectory= or RootImage= (their paths are inside another tree). ReadWritePaths= and
 * ReadOnlyPaths= below /home do not bring a path back under yes (booted), but what fails then depends on
 * the service, so they are no evidence here. ProtectHome=read-only keeps all of this readable: that is the fix.
 */
import { lastAssignment } from '../model/build';
import { EXEC_COMMAND_KEYS } from '../model/security-types';
import { type Context, lineAfter, lineSpan, under } from './breakage-context';
import type { Diagnostic } from './diagnostic';
import { homeFolderAbove } from '../knowledge/home-folders';

/** Destinations of BindPaths= and BindReadOnlyPaths= (SRC[:DEST[:OPTIONS]], SRC may start with -). */
function boundPaths(ctx: Context): string[] {
  const out: string[] = [];
  for (const key of ['BindPaths', 'BindReadOnlyPaths']) {
    for (const a of ctx.model.settings.get(`Service.${key}`) ?? []) {
      for (const word of a.value.split(/\s+/)) {
        if (word === '') continue;
        const parts = word.replace(/^-/, '').split(':');
        const dest = parts[1] !== undefined && parts[1] !== '' ? parts[1] : parts[0]!;
        if (dest.startsWith('/')) out.push(dest.replace(/\/+$/, '') || '/');
      }
    }
  }
  return out;
}

/** systemd's words for a program it cannot find (reworded in 256; booted: 252 and 257). */
function locateFailure(version: number, path: string): string {
  return version >= 256 ? `Unable to locate executable '${path}'` : `Failed to locate executable ${path}`;
}

interface Evidence {
  what: string;
  path: string;
  folder: string;
  failure: string;
}

export function protectHomeBreakage(ctx: Context): Diagnostic[] {
  const { model, values } = ctx;
  const mode = values.protectHome;
  if (mode !== 'yes' && mode !== 'tmpfs') return [];
  if (values.rootDirectory !== null || values.rootImage !== null) return [];
  const line = lastAssignment(model, 'Service', 'ProtectHome');
  if (!line) return [];
  const bound = boundPaths(ctx);
  const visible = (p: string): boolean => bound.some((b) => under(p, b));
  const found: Evidence[] = [];
  for (const key of EXEC_COMMAND_KEYS) {
    for (const cmd of values.exec[key]) {
      if (cmd.fullyPrivileged || cmd.ignoreFailure || cmd.viaShell) continue;
      const folder = homeFolderAbove(cmd.path);
      if (folder === undefined || visible(cmd.path) || found.some((e) => e.path === cmd.path)) continue;
      found.push({
        what: `${key}= runs ${cmd.path}`,
        path: cmd.path,
        folder,
        failure: `"${locateFailure(model.version, cmd.path)}: No such file or directory", status=203/EXEC`,
      });
    }
  }
  const wd = lastAssignment(model, 'Service', 'WorkingDirectory')?.value ?? '';
  if (wd.startsWith('/')) {
    const folder = homeFolderAbove(wd);
    if (folder !== undefined && !visible(wd)) {
      found.push({
        what: `WorkingDirectory=${wd}`,
        path: wd,
        folder,
        failure: '"Changing to the requested working directory failed: No such file or directory", status=200/CHDIR',
      });
    }
  }
  if (found.length === 0) return [];
  const hides =
    mode === 'yes'
      ? 'makes /home, /root and /run/user empty and inaccessible'
      : 'puts empty file systems on /home, /root and /run/user';
  const fix = 'ProtectHome=read-only';
  return [
    {
      code: 'breaks-protect-home',
      severity: 'warning',
      message:
        `ProtectHome=${mode} ${hides}, but ${found.map((e) => `${e.what} (below ${e.folder})`).join(' and ')}: expect ${found[0]!.failure}. ` +
        `${fix} after this line keeps them readable (not writable)${mode === 'tmpfs' ? '; or keep tmpfs and make the path visible with BindReadOnlyPaths=' : ''}.`,
      file: line.file.path,
      span: lineSpan(line),
      fixes: [
        {
          title: `Keep /home, /root and /run/user readable, not writable (add ${fix})`,
          edits: [lineAfter(line, [fix])],
          preferred: true,
        },
      ],
    },
  ];
}
