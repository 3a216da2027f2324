/**
 * Settings that will make the service fail, read on the merged unit (the unit file and its drop-ins):
 *
 * - breaks-read-only-path: ProtectSystem=strict (or DynamicUser=yes, which implies it, or
 *   ReadOnlyPaths=/) makes a folder the service is known to write read-only (server/data/service-needs.json),
 *   or ProtectSystem=full one under /etc (a configuration folder the service writes);
 * - breaks-user-switch: a service that starts as root and switches user itself loses CAP_SETUID or
 *   CAP_SETGID, or the system calls of the switch, to CapabilityBoundingSet= or SystemCallFilter=;
 *   breaks-capability: it loses another capability it uses as root (a low port, chown() of its folders);
 * - breaks-address-family: RestrictAddressFamilies= takes away AF_UNIX from a Type=notify or D-Bus
 *   service (sd_notify() and the bus are Unix sockets), or a family the service is known to use;
 * - breaks-syscall-filter: SystemCallFilter= denies a call the service is known to make;
 * - ambient-outside-bounding-set (a contradiction, not a breakage: mariadb ran healthy without its
 *   CAP_IPC_LOCK): AmbientCapabilities= grants a capability CapabilityBoundingSet= leaves
 *   out: systemd cannot raise it, so the service runs without it (booted: CapAmb 0, the unit still starts).
 *
 * Each finding sits on the line that makes it so, in whichever file sets it, names the failure the journal
 * will show and what it assumed, and offers a fix that loosens only that setting: a line added after the
 * setting's last assignment, so the rest of what the unit asks stays as it is. A PID file made read-only
 * is left to read-only-pidfile (rules/pidfile.ts), which this rule does not repeat.
 */
import { effectiveListAssignments, lastAssignment } from '../model/build';
import { typedValues } from '../model/security-inputs';
import type { TypedValues } from '../model/security-types';
import type { Assignment, LoadedFile, UnitModel } from '../model/types';
import { AF_UNIX } from '../model/values/address-families';
import { ERRNO_KILL } from '../model/values/syscalls';
import { addressFamilyNumber, capabilityNumber, syscallGroupMembers } from '../model/values/name-lookups';
import { inferWritePaths, writableByConfig } from '../evidence/write-paths';
import { serviceNeedsFor, type ServiceNeeds } from '../knowledge/service-needs';
import { capabilityByNumber } from '../knowledge/vocabulary';
import { kernelTunables } from './breaks-kernel-tunables';
import { privateDevices } from './breaks-private-devices';
import { insertionFor } from './sandbox';
import type { Diagnostic, TextEdit } from './types';
import { weakensDiagnostics } from './weakens';
import { restrictNamespacesBreakage } from './breaks-restrict-namespaces';
import { dynamicUserStaticName } from './dynamic-user-static-name';
import { protectHomeBreakage } from './breaks-protect-home';
import { memoryDenyWriteExecute } from './breaks-memory-deny-write-execute';
import { noNewPrivileges } from './breaks-no-new-privileges';
import { privateNetwork } from './breaks-private-network';
import { privateTmp } from './breaks-private-tmp';
import { protectProc } from './breaks-protect-proc';
import { lowPortBreakage } from './breaks-low-port';

/** Per-model cache: the findings of every file, computed once (runRules asks file by file). */
const CACHE = Symbol('breakage');
type Cached = UnitModel & { [CACHE]?: Diagnostic[] };

export function breakageDiagnostics(model: UnitModel, file: LoadedFile): Diagnostic[] {
  if (model.type !== 'service') return [];
  const m = model as Cached;
  let all = m[CACHE];
  if (all === undefined) {
    all = [...findBreakage(model), ...weakensDiagnostics(model)];
    Object.defineProperty(m, CACHE, { value: all, enumerable: false });
  }
  return all.filter((d) => d.file === file.path);
}

/** What the findings read about the unit (each finder of a breaks-… rule takes it). */
export interface Context {
  model: UnitModel;
  tv: TypedValues;
  needs: ServiceNeeds | undefined;
  name: string;
}

function findBreakage(model: UnitModel): Diagnostic[] {
  const tv = typedValues(model).value;
  const main = tv.exec.ExecStart[0];
  // ExecStart=+...: the main process runs with full privileges, outside the sandbox (no bounding set, no
  // system-call or address-family filter, no read-only file system), so none of these apply to it.
  if (main?.fullyPrivileged) return [];
  const needs = serviceNeedsFor(model.name, main?.path);
  const ctx: Context = { model, tv, needs, name: model.name };
  return FINDERS.flatMap((find) => find(ctx));
}

export function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

/** An edit that adds `lines` right after an assignment (so they apply after it, in the same file). */
export function lineAfter(a: Assignment, lines: readonly string[]): TextEdit {
  const text = a.file.tree.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let end = lineSpan(a).end;
  while (end < text.length && text[end] !== '\r' && text[end] !== '\n') end++;
  const atEol = end < text.length;
  let at = end;
  if (atEol) at += text.startsWith('\r\n', end) ? 2 : 1;
  return { file: a.file.path, span: { start: at, end: at }, newText: `${atEol ? '' : eol}${lines.join(eol)}${eol}` };
}

/** Whichever of two assignments systemd reads last (later files, then later in the file). */
export function later(a: Assignment, b: Assignment): Assignment {
  if (a.file.order !== b.file.order) return a.file.order > b.file.order ? a : b;
  return a.entry.keySpan.start > b.entry.keySpan.start ? a : b;
}

/** From the key to the end of the value (the entry's own span runs to the end of its line). */
export function lineSpan(a: Assignment): { start: number; end: number } {
  const e = a.entry;
  return { start: e.keySpan.start, end: Math.max(e.valueSpan.end, e.keySpan.end + 1) };
}

/** What a finding from service-needs.json assumed: the package and configuration its facts were measured with. */
export function assumed(needs: ServiceNeeds): string {
  return `(assuming ${needs.assumes})`;
}

// --- breaks-read-only-path ---------------------------------------------------------------------------

/**
 * The assignment that makes the file system read-only, how to say so, and (ProtectSystem=full) the
 * folders it covers when it is not the whole file system; null when none does.
 */
function readOnlyCause(ctx: Context): { a: Assignment; why: string; only?: readonly string[] } | null {
  const { model, tv } = ctx;
  if (tv.protectSystem === 'strict') {
    const a = lastAssignment(model, 'Service', 'ProtectSystem');
    if (a) return { a, why: 'ProtectSystem=strict' };
  }
  if (tv.dynamicUser) {
    const a = lastAssignment(model, 'Service', 'DynamicUser');
    if (a) return { a, why: 'DynamicUser=yes (which implies ProtectSystem=strict)' };
  }
  for (const a of effectiveListAssignments(model, 'Service', 'ReadOnlyPaths')) {
    if (a.value.split(/\s+/).some((w) => w.replace(/^[-+]+/, '') === '/')) return { a, why: 'ReadOnlyPaths=/' };
  }
  // ProtectSystem=full: /usr, /boot, /efi and /etc (systemd.exec(5)); a service writing its own
  // configuration folder (certbot's /etc/letsencrypt) fails.
  if (tv.protectSystem === 'full') {
    const a = lastAssignment(model, 'Service', 'ProtectSystem');
    if (a) return { a, why: 'ProtectSystem=full', only: ['/usr', '/boot', '/efi', '/etc'] };
  }
  return null;
}

function readOnlyPaths(ctx: Context): Diagnostic[] {
  const { model, tv, needs } = ctx;
  if (!needs || needs.writes.length === 0) return [];
  const cause = readOnlyCause(ctx);
  if (!cause) return [];
  const writable = writableByConfig(model);
  // read-only-pidfile already reports the PID file's folder under strict (or DynamicUser=yes).
  const pid = lastAssignment(model, 'Service', 'PIDFile');
  const pidFolder = pid && (tv.protectSystem === 'strict' || tv.dynamicUser) ? inferWritePaths(model).find((w) => w.from === pid)?.path : undefined;
  // A folder inside the needed one made writable counts too (ReadWritePaths=/var/lib/nginx/body ...): the unit
  // may know which parts the service writes, and a warning on a healthy unit costs more than a missed one.
  const covered = needs.writes.filter((w) => cause.only === undefined || cause.only.some((d) => under(w.path, d)));
  const missing = covered.filter((w) => !writable.some((d) => under(w.path, d) || under(d, w.path)) && !(pidFolder !== undefined && under(w.path, pidFolder)));
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

// --- system-call filter helpers ----------------------------------------------------------------------

/** Whether SystemCallFilter= keeps `call` from running (denied, or answered with an error). */
function callDenied(tv: TypedValues, call: string): boolean {
  const f = tv.systemCallFilter;
  if (f.mode === 'allow') {
    const e = f.entries.get(call);
    return e === undefined || e >= 0;
  }
  if (f.mode === 'deny') return f.entries.has(call);
  return false;
}

/** True when a denied call kills the process (no SystemCallErrorNumber=, no `:ERRNO` of its own). */
function callKills(tv: TypedValues, call: string): boolean {
  const own = tv.systemCallFilter.entries.get(call);
  if (tv.systemCallFilter.mode === 'deny' && own !== undefined && own >= 0) return own === ERRNO_KILL;
  const n = tv.systemCallErrorNumber;
  return n <= 0 || n === ERRNO_KILL;
}

function wordMatches(version: number, word: string, call: string, seen = new Set<string>()): boolean {
  const name = word.split(':')[0]!;
  if (name === call) return true;
  if (!name.startsWith('@') || seen.has(name)) return false;
  seen.add(name);
  const members = syscallGroupMembers(version, name) ?? [];
  return members.some((m) => wordMatches(version, m, call, seen));
}

/**
 * The SystemCallFilter= line that denies `call`: the last `~` line naming it (or a group holding it),
 * else the line that started the allow-list.
 */
function filterLineDenying(model: UnitModel, tv: TypedValues, call: string): Assignment | undefined {
  const list = effectiveListAssignments(model, 'Service', 'SystemCallFilter');
  for (let i = list.length - 1; i >= 0; i--) {
    const v = list[i]!.value.trim();
    if (!v.startsWith('~')) continue;
    if (v.slice(1).split(/\s+/).some((w) => w !== '' && wordMatches(model.version, w, call))) return list[i];
  }
  return tv.systemCallFilter.mode === 'allow' ? list.find((a) => a.value.trim() !== '') : undefined;
}

/** Adds the calls back after the filter's last line (an allow-list gains them, a deny-list loses them). */
function allowCallsEdit(model: UnitModel, calls: readonly string[]): { title: string; edits: TextEdit[] } | null {
  const last = lastAssignment(model, 'Service', 'SystemCallFilter');
  if (!last) return null;
  const line = `SystemCallFilter=${calls.join(' ')}`;
  return { title: `Allow ${calls.join(', ')} (add ${line})`, edits: [lineAfter(last, [line])] };
}

// --- breaks-user-switch ------------------------------------------------------------------------------

function startsAsRoot(tv: TypedValues): boolean {
  if (tv.dynamicUser) return false;
  if (tv.user !== null && tv.user !== 'root' && tv.user !== '0') return false;
  const main = tv.exec.ExecStart[0];
  return !main || !main.fullyPrivileged;
}

function userSwitch(ctx: Context): Diagnostic[] {
  const { model, tv, needs } = ctx;
  if (!needs) return [];
  if (!startsAsRoot(tv)) return startedAsUser(ctx, needs);
  const sw = needs.switchesUser;
  const out: Diagnostic[] = [];
  // What root keeps of its powers is the bounding set: the switch's CAP_SETUID and CAP_SETGID, and the
  // capabilities the service uses before it drops root (binding a low port, chown() of its folders, ...).
  const needed: { name: string; use: string; failure: string; source: string; firstStartOnly?: boolean }[] = [];
  if (sw) for (const name of ['CAP_SETUID', 'CAP_SETGID']) needed.push({ name, use: `to switch to ${sw.to}`, failure: sw.failure, source: sw.source });
  for (const c of needs.capabilities ?? []) needed.push(c);
  const lacking = needed.filter((c) => {
    const n = capabilityNumber(c.name, model.version);
    return n !== undefined && (tv.capabilityBoundingSet & (1n << BigInt(n))) === 0n;
  });
  const capLine = lastAssignment(model, 'Service', 'CapabilityBoundingSet');
  if (lacking.some((c) => !c.firstStartOnly) && capLine) {
    const names = lacking.map((c) => c.name);
    const line = `CapabilityBoundingSet=${names.join(' ')}`;
    const switching = sw !== undefined && (names.includes('CAP_SETUID') || names.includes('CAP_SETGID'));
    const first = lacking.find((c) => !c.firstStartOnly)!;
    const uses = lacking.map((c) => `${c.name} ${c.use}`).join(', ');
    out.push({
      code: switching ? 'breaks-user-switch' : 'breaks-capability',
      severity: 'warning',
      message:
        `${ctx.name} starts as root${sw ? ` and switches to ${sw.to} itself` : ''}, but CapabilityBoundingSet= leaves out what it needs as root: ${uses}. ` +
        `Expect: ${first.failure} ${assumed(needs)}. ${line} after this line gives ${names.length === 1 ? 'it' : 'them'} back.`,
      file: capLine.file.path,
      span: lineSpan(capLine),
      fixes: [{ title: `Keep ${names.join(', ')} (add ${line})`, edits: [lineAfter(capLine, [line])], preferred: true }],
    });
  }
  if (!sw) return out;
  const denied = sw.calls.filter((c) => callDenied(tv, c));
  const filterLine = denied.length ? filterLineDenying(model, tv, denied[0]!) : undefined;
  const fix = denied.length ? allowCallsEdit(model, denied) : null;
  if (filterLine && fix) {
    const kills = denied.some((c) => callKills(tv, c));
    out.push({
      code: 'breaks-user-switch',
      severity: 'warning',
      message:
        `${ctx.name} starts as root and switches to ${sw.to} itself, but SystemCallFilter= denies ${denied.join(', ')}: ` +
        (kills ? 'the process is killed ("code=killed, status=31/SYS")' : `the switch fails (${sw.failure})`) +
        ` ${assumed(needs)}. ${fix.title.replace(/^Allow [^(]*\(add /, '').replace(/\)$/, '')} after the filter's last line allows ${denied.length === 1 ? 'it' : 'them'}.`,
      file: filterLine.file.path,
      span: lineSpan(filterLine),
      fixes: [{ ...fix, preferred: true }],
    });
  }
  return out;
}

/**
 * User= names a user other than root for a service that starts as root and switches user itself
 * (nginx's `user www-data;`): systemd starts it as that user, and what it does as root before its own
 * switch fails. Only for a service whose data records what a boot showed then (startedAsUser); the fix
 * resets User= after the line (an empty assignment: root again).
 */
function startedAsUser(ctx: Context, needs: ServiceNeeds): Diagnostic[] {
  const { model, tv } = ctx;
  const sw = needs.switchesUser;
  if (!sw?.startedAsUser || tv.dynamicUser || tv.user === null) return [];
  const main = tv.exec.ExecStart[0];
  if (main?.fullyPrivileged || main?.noSetuid) return [];
  const line = lastAssignment(model, 'Service', 'User');
  if (!line) return [];
  return [
    {
      code: 'breaks-user-switch',
      severity: 'warning',
      message:
        `${ctx.name} starts as root and switches to ${sw.to} itself, but User=${tv.user} makes systemd start it as ${tv.user}: ` +
        `what it does as root first fails. Expect: ${sw.startedAsUser.failure} ${assumed(needs)}. ` +
        `An empty User= after this line lets it start as root again and switch by itself.`,
      file: line.file.path,
      span: lineSpan(line),
      fixes: [{ title: `Start it as root, as it expects (add an empty User=)`, edits: [lineAfter(line, ['User='])], preferred: true }],
    },
  ];
}

// --- breaks-address-family ---------------------------------------------------------------------------

function familyAllowed(tv: TypedValues, n: number): boolean {
  const r = tv.restrictAddressFamilies;
  if (r.allowList) return r.families !== null && r.families.has(n);
  return r.families === null || !r.families.has(n);
}

/** The RestrictAddressFamilies= line that takes `family` away: the last `~` line naming it, else the line that started the allow-list. */
function familyLine(model: UnitModel, tv: TypedValues, family: string): Assignment | undefined {
  const list = effectiveListAssignments(model, 'Service', 'RestrictAddressFamilies');
  for (let i = list.length - 1; i >= 0; i--) {
    const v = list[i]!.value.trim();
    if (v.startsWith('~') && v.slice(1).split(/\s+/).some((w) => w.toUpperCase() === family)) return list[i];
  }
  if (!tv.restrictAddressFamilies.allowList) return undefined;
  let start: Assignment | undefined;
  for (const a of list) if (a.value.trim() === 'none' || (start === undefined && a.value.trim() !== '')) start = a;
  return start;
}

function addressFamilies(ctx: Context): Diagnostic[] {
  const { model, tv, needs } = ctx;
  const r = tv.restrictAddressFamilies;
  if (!r.allowList && r.families === null) return [];
  const wanted = new Map<string, { use: string; failure: string; source: string | null }>();
  const type = tv.service.type;
  if ((type === 'notify' || type === 'notify-reload') && lastAssignment(model, 'Service', 'NotifyAccess')?.value !== 'none') {
    wanted.set('AF_UNIX', { use: `Type=${type}: sd_notify() reports readiness over a Unix socket`, failure: 'the service never reports ready and systemd stops it: "start operation timed out. Terminating."', source: null });
  } else if (type === 'dbus' || tv.service.busName) {
    wanted.set('AF_UNIX', { use: `${type === 'dbus' ? 'Type=dbus' : 'BusName='}: D-Bus is a Unix socket`, failure: 'the service cannot reach the bus and exits: "Failed to get system bus connection: Address family not supported by protocol" (sd-bus services such as systemd-timedated; booted, test/boot/cases.json timedated-no-af-unix)', source: null });
  }
  // A family whose loss only degrades the service (a collector fails, the rest serves) is no breakage.
  for (const f of needs?.addressFamilies ?? []) if (!f.degradesOnly && !wanted.has(f.family)) wanted.set(f.family, { use: f.use, failure: f.failure, source: f.source });
  const out: Diagnostic[] = [];
  const byLine = new Map<Assignment, string[]>();
  const texts = new Map<Assignment, string[]>();
  for (const [family, why] of wanted) {
    const n = family === 'AF_UNIX' ? AF_UNIX : addressFamilyNumber(family, model.version);
    if (n === undefined || familyAllowed(tv, n)) continue;
    const line = familyLine(model, tv, family);
    if (!line) continue;
    byLine.set(line, [...(byLine.get(line) ?? []), family]);
    const assumption = why.source === null ? '' : ` ${assumed(needs!)}`;
    texts.set(line, [...(texts.get(line) ?? []), `${family} (${why.use}): ${why.failure}${assumption}`]);
  }
  const last = lastAssignment(model, 'Service', 'RestrictAddressFamilies');
  for (const [line, families] of byLine) {
    const add = `RestrictAddressFamilies=${families.join(' ')}`;
    out.push({
      code: 'breaks-address-family',
      severity: 'warning',
      message: `RestrictAddressFamilies= takes away what ${ctx.name} needs: ${texts.get(line)!.join('; ')}. ${add} after the last RestrictAddressFamilies= line allows ${families.length === 1 ? 'it' : 'them'}.`,
      file: line.file.path,
      span: lineSpan(line),
      fixes: [{ title: `Allow ${families.join(', ')} (add ${add})`, edits: [lineAfter(last ?? line, [add])], preferred: true }],
    });
  }
  return out;
}

// --- breaks-syscall-filter ---------------------------------------------------------------------------

function syscallNeeds(ctx: Context): Diagnostic[] {
  const { model, tv, needs } = ctx;
  if (!needs?.syscalls || tv.systemCallFilter.mode === null) return [];
  const denied = needs.syscalls.filter((s) => callDenied(tv, s.name));
  if (denied.length === 0) return [];
  const line = filterLineDenying(model, tv, denied[0]!.name);
  const fix = allowCallsEdit(model, denied.map((s) => s.name));
  if (!line || !fix) return [];
  // The calls in the data were seen to kill the service; answered with an error instead (SystemCallErrorNumber=
  // or NAME:ERRNO), they fail softly (node_exporter's timex collector skips its metrics): no warning then.
  const kills = denied.some((s) => callKills(tv, s.name));
  if (!kills) return [];
  const softer = kills ? ' With SystemCallErrorNumber=EPERM a denied call fails with EPERM instead of killing the process, which a service that can do without the call survives.' : '';
  return [
    {
      code: 'breaks-syscall-filter',
      severity: 'warning',
      message:
        `SystemCallFilter= denies ${denied.map((s) => `${s.name}() (${s.use})`).join(', ')}, which ${ctx.name} makes: ${kills ? denied[0]!.failure : 'the call fails with an error'} ` +
        `${assumed(needs)}.${softer} SystemCallFilter=${denied.map((s) => s.name).join(' ')} after the filter's last line allows ${denied.length === 1 ? 'it' : 'them'}.`,
      file: line.file.path,
      span: lineSpan(line),
      fixes: [{ ...fix, preferred: true }],
    },
  ];
}

// --- ambient-outside-bounding-set ---------------------------------------------------------------------

function ambientOutsideBounding(ctx: Context): Diagnostic[] {
  const { model, tv } = ctx;
  const lost = tv.ambientCapabilities & ~tv.capabilityBoundingSet;
  const capLine = lastAssignment(model, 'Service', 'CapabilityBoundingSet');
  if (lost === 0n || !capLine) return [];
  const names: string[] = [];
  for (let n = 0; n < 64; n++) if ((lost >> BigInt(n)) & 1n) names.push(capabilityByNumber(n)?.name ?? `capability ${n}`);
  const line = `CapabilityBoundingSet=${names.join(' ')}`;
  const them = names.length === 1 ? 'it' : 'them';
  return [
    {
      code: 'ambient-outside-bounding-set',
      severity: 'warning',
      message:
        `AmbientCapabilities= grants ${names.join(', ')}, but CapabilityBoundingSet= leaves ${them} out: an ambient capability cannot exceed the bounding set, so ${ctx.name} runs without ${them}: ` +
        `whatever needs ${them} fails (for CAP_NET_BIND_SERVICE: bind() to a port below 1024 fails with "Permission denied"). Keep ${them} with ${line} after this line, or drop ${them} from AmbientCapabilities=.`,
      file: capLine.file.path,
      span: lineSpan(capLine),
      fixes: [{ title: `Keep ${names.join(', ')} (add ${line})`, edits: [lineAfter(capLine, [line])], preferred: true }],
    },
  ];
}

/** Every finder, in the order their findings are listed. A rule of its own file is added here. */
const FINDERS: readonly ((ctx: Context) => Diagnostic[])[] = [readOnlyPaths, userSwitch, addressFamilies, syscallNeeds, ambientOutsideBounding, memoryDenyWriteExecute, noNewPrivileges, restrictNamespacesBreakage, protectHomeBreakage, dynamicUserStaticName, kernelTunables, privateDevices, privateNetwork, privateTmp, protectProc, lowPortBreakage];
