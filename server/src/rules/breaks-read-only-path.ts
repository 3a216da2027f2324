/**
 * breaks-read-only-path: ProtectSystem=strict (or DynamicUser=yes, which implies it, or ReadOnlyPaths=/)
 * makes a folder the service is known to write read-only (server/data/service-needs.json), or
 * ProtectSystem=full one under /etc (a configuration folder the service writes). A PID file made
 * read-only is left to read-only-pidfile (rules/pidfile.ts), which this rule does not repeat.
 */
import { effectiveListAssignments, lastAssignment } from '../model/build';
import type { Assignment } from '../model/unit-model';
import { inferWritePaths, writableByConfig } from '../evidence/write-paths';
import { assumed, type Context, lineSpan, under } from './breakage-context';
import { insertionFor } from './sandbox';
import type { Diagnostic } from './diagnostic';

/**
 * The assignment that makes the file system read-only, how to say so, and (ProtectSystem=full) the
 * folders it covers when it is not the whole file system; null when none does.
 */
function readOnlyCause(ctx: Context): { a: Assignment; why: string; only?: readonly string[] } | null {
  const { model, values } = ctx;
  if (values.protectSystem === 'strict') {
    const a = lastAssignment(model, 'Service', 'ProtectSystem');
    if (a) return { a, why: 'ProtectSystem=strict' };
  }
  if (values.dynamicUser) {
    const a = lastAssignment(model, 'Service', 'DynamicUser');
    if (a) return { a, why: 'DynamicUser=yes (which implies ProtectSystem=strict)' };
  }
  for (const a of effectiveListAssignments(model, 'Service', 'ReadOnlyPaths')) {
    if (a.value.split(/\s+/).some((w) => w.replace(/^[-+]+/, '') === '/')) return { a, why: 'ReadOnlyPaths=/' };
  }
  // ProtectSystem=full: /usr, /boot, /efi and /etc (systemd.exec(5)); a service writing its own
  // configuration folder (certbot's /etc/letsencrypt) fails.
  if (values.protectSystem === 'full') {
    const a = lastAssignment(model, 'Service', 'ProtectSystem');
    if (a) return { a, why: 'ProtectSystem=full', only: ['/usr', '/boot', '/efi', '/etc'] };
  }
  return null;
}

export function readOnlyPathBreakage(ctx: Context): Diagnostic[] {
  const { model, values, needs } = ctx;
  if (!needs || needs.writes.length === 0) return [];
  const cause = readOnlyCause(ctx);
  if (!cause) return [];
  const writable = writableByConfig(model);
  // read-only-pidfile already reports the PID file's folder under strict (or DynamicUser=yes).
  const pid = lastAssignment(model, 'Service', 'PIDFile');
  const pidFolder =
    pid && (values.protectSystem === 'strict' || values.dynamicUser)
      ? inferWritePaths(model).find((w) => w.from === pid)?.path
      : undefined;
  // A folder inside the needed one made writable counts too (ReadWritePaths=/var/lib/nginx/body ...): the unit
  // may know which parts the service writes, and a warning on a healthy unit costs more than a missed one.
  const covered = needs.writes.filter((w) => cause.only === undefined || cause.only.some((d) => under(w.path, d)));
  const missing = covered.filter(
    (w) =>
      !writable.some((d) => under(w.path, d) || under(d, w.path)) &&
      !(pidFolder !== undefined && under(w.path, pidFolder)),
  );
  if (missing.length === 0) return [];
  const lines = fixLines(missing.map((w) => w.fix));
  const first = missing[0]!;
  const paths = missing.map((w) => w.path).join(', ');
  return [
    {
      code: 'breaks-read-only-path',
      severity: 'warning',
      message:
        `${cause.why} makes ${paths} read-only, but ${needs.name} writes there, expect: ${first.failure} ` +
        `${assumed(needs)}. ${lines.join(', ')} keeps ${missing.length === 1 ? 'it' : 'them'} writable.`,
      file: cause.a.file.path,
      span: lineSpan(cause.a),
      fixes: [{ title: `Add ${lines.join(', ')}`, edits: [insertionFor(cause.a.file, lines)], preferred: true }],
    },
  ];
}

/** Fix lines of several paths, one line per directive (ReadWritePaths=-/a -/b). */
function fixLines(fixes: readonly string[]): string[] {
  const byKey = new Map<string, string[]>();
  for (const f of fixes) {
    const eq = f.indexOf('=');
    const key = f.slice(0, eq);
    const list = byKey.get(key) ?? [];
    if (!list.includes(f.slice(eq + 1))) list.push(f.slice(eq + 1));
    byKey.set(key, list);
  }
  return [...byKey].map(([k, v]) => `${k}=${v.join(' ')}`);
}
