/**
 * The boot tier's data: the guests (guests.json: a Debian release each, with its systemd), the
 * services (services.json: how to judge each one's health, with what differs per guest) and the
 * boot cases (cases.json: a guest, a drop-in, what booting it showed, and the journal line that
 * explains a failure). `validate*` return the problems found, so a schema test can check the files
 * and a broken file fails loudly instead of silently testing nothing.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { BootResult } from './runner';

export interface Guest {
  /** e.g. debian-12: what cases name in "guest". */
  id: string;
  /** The Debian suite the tree is built from (scripts/boot/build-tree.sh SUITE). */
  suite: string;
  /** The guest's systemd version (our CLI's --systemd-version for its units). */
  systemd: number;
  /** Boot it with a pure cgroup2 hierarchy (systemd 256 and later refuse a hybrid one). */
  unifiedCgroup?: boolean;
}

export interface GuestsFile {
  /** The guest of a case without "guest". */
  default: string;
  guests: Guest[];
}

/** What a service does differently on one guest (a unit name with the PostgreSQL version, ...). */
export type ServiceOverride = Partial<Pick<Service, 'packages' | 'unit' | 'units' | 'logs' | 'check' | 'expect' | 'files'>>;

export interface Service {
  name: string;
  packages: string[];
  /** The unit under test. */
  unit: string;
  /** Every unit of the service that starts at boot; masked when another service is under test. */
  units: string[];
  /** Log files the service writes besides the journal (searched for a broken case's line too). */
  logs?: string[];
  check: string;
  /** A regular expression the check's output must match. */
  expect: string;
  /**
   * The unit is a Type=oneshot job (a timer's service, say): it is healthy when it has run to its
   * end (inactive, Result=success, exit status 0), not when it stays active.
   */
  oneshot?: boolean;
  /**
   * Files placed in the guest for this service, keyed by their absolute path there, each naming its
   * source relative to test/boot/: an administrator's own unit that runs a packaged program
   * (`/etc/systemd/system/node-app.service`), the program it runs, a sudoers.d file. Bound
   * read-only into every boot of the tree (so systemd loads such a unit at boot), and copied into
   * the root our CLI scores.
   */
  files?: Record<string, string>;
  /** Per guest id, the fields that differ there (the rest is as above). */
  onGuest?: Record<string, ServiceOverride>;
}

export interface ServicesFile {
  basePackages: string[];
  services: Service[];
}

export type Expectation = 'healthy' | 'broken';

export interface BootCase {
  id: string;
  /** The guest it boots (guests.json); the default guest when absent. */
  guest?: string;
  service: string;
  /** Drop-in lines (without the [Service] header); "@name" includes a block. null: no drop-in. */
  dropin: string[] | null;
  expect: Expectation;
  /** For a broken case: a substring of the unit's journal (or of its log files) that explains the failure. */
  journal?: string;
  /**
   * For a broken case whose failure leaves no journal line (the service runs, but nothing can reach
   * it): a substring of what the failed health check printed (its stdout and stderr).
   */
  checkOutput?: string;
  /** Observed `systemd-analyze security UNIT` of the running unit in the guest. */
  exposure: number;
  /** Observed `systemd-analyze security --offline=yes UNIT` in the guest. */
  offlineExposure: number;
  /** For a healthy case: the id of the broken case it repairs by loosening one setting. */
  fixes?: string;
  /** Booted by default (true) or only with BOOT_FULL=1 (false). */
  ci: boolean;
  note?: string;
}

export interface CasesFile {
  blocks: Record<string, string[]>;
  cases: BootCase[];
}

const HERE = __dirname;

export function loadGuests(path = join(HERE, 'guests.json')): GuestsFile {
  return JSON.parse(readFileSync(path, 'utf8')) as GuestsFile;
}

export function loadServices(path = join(HERE, 'services.json')): ServicesFile {
  return JSON.parse(readFileSync(path, 'utf8')) as ServicesFile;
}

export function loadCases(path = join(HERE, 'cases.json')): CasesFile {
  return JSON.parse(readFileSync(path, 'utf8')) as CasesFile;
}

const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const isExposure = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v <= 10 && Math.round(v * 10) === v * 10;
const UNIT_RE = /^[A-Za-z0-9:_.@-]+\.(service|socket)$/;

export function validateGuests(data: unknown): string[] {
  const d = data as Partial<GuestsFile> | null;
  if (!d || typeof d !== 'object') return ['guests file: not an object'];
  if (!Array.isArray(d.guests) || d.guests.length === 0) return ['guests: must be a non-empty list'];
  const problems: string[] = [];
  const ids = new Set<string>();
  d.guests.forEach((g: Partial<Guest>, i) => {
    const at = `guests[${i}]${isStr(g?.id) ? ` (${g.id})` : ''}`;
    if (!isStr(g?.id) || !/^[a-z0-9-]+$/.test(g.id)) problems.push(`${at}: id must be lower-case letters, digits and dashes`);
    else if (ids.has(g.id)) problems.push(`${at}: duplicate id`);
    else ids.add(g.id);
    if (!isStr(g?.suite) || !/^[a-z]+$/.test(g.suite)) problems.push(`${at}: suite must be a Debian suite name`);
    if (!Number.isInteger(g?.systemd) || (g.systemd as number) < 200) problems.push(`${at}: systemd must be a systemd version`);
    if (g?.unifiedCgroup !== undefined && typeof g.unifiedCgroup !== 'boolean') problems.push(`${at}: unifiedCgroup must be true or false`);
  });
  if (!isStr(d.default) || !ids.has(d.default)) problems.push('default: must be the id of a guest');
  return problems;
}

function validateService(s: Partial<Service>, at: string, problems: string[]): void {
  if (!isStrList(s?.packages) || s.packages.length === 0) problems.push(`${at}: packages must be a non-empty list`);
  if (!isStr(s?.unit) || !UNIT_RE.test(s.unit)) problems.push(`${at}: unit must be a unit name`);
  if (!isStrList(s?.units) || !s.units.every((u) => UNIT_RE.test(u))) problems.push(`${at}: units must be a list of unit names`);
  else if (isStr(s?.unit) && !s.units.includes(s.unit) && !s.units.some((u) => s.unit!.startsWith(u.replace(/\.service$/, '@')))) {
    problems.push(`${at}: units must include the unit under test`);
  }
  if (s?.logs !== undefined && (!isStrList(s.logs) || !s.logs.every((f) => f.startsWith('/')))) problems.push(`${at}: logs must be a list of absolute paths`);
  if (s?.oneshot !== undefined && typeof s.oneshot !== 'boolean') problems.push(`${at}: oneshot must be true or false`);
  if (s?.files !== undefined) validateFiles(s.files, at, problems);
  if (!isStr(s?.check)) problems.push(`${at}: check is missing`);
  if (!isStr(s?.expect)) problems.push(`${at}: expect is missing`);
  else {
    try {
      new RegExp(s.expect, 'm');
    } catch {
      problems.push(`${at}: expect is not a regular expression`);
    }
  }
}

/**
 * A service's files: each guest path absolute and plain (no `..`, no `:`, which nspawn's --bind-ro
 * takes as a separator), each source a regular file under test/boot/.
 */
function validateFiles(files: unknown, at: string, problems: string[]): void {
  if (!files || typeof files !== 'object' || Array.isArray(files)) {
    problems.push(`${at}: files must be an object of guest path to source file`);
    return;
  }
  for (const [guest, source] of Object.entries(files as Record<string, unknown>)) {
    if (!guest.startsWith('/') || posix.normalize(guest) !== guest || guest.endsWith('/') || guest.includes(':')) {
      problems.push(`${at}: files: ${guest} must be a plain absolute path in the guest`);
    }
    if (!isStr(source) || source.startsWith('/') || source.includes(':') || posix.normalize(source) !== source || source.startsWith('..')) {
      problems.push(`${at}: files: the source of ${guest} must be a path under test/boot/`);
      continue;
    }
    let isFile = false;
    try {
      isFile = statSync(join(HERE, source)).isFile();
    } catch {
      // missing: reported below
    }
    if (!isFile) problems.push(`${at}: files: the source of ${guest}, test/boot/${source}, is not a file`);
  }
}

const OVERRIDABLE = new Set(['packages', 'unit', 'units', 'logs', 'check', 'expect', 'files']);

export function validateServices(data: unknown, guests: GuestsFile = loadGuests()): string[] {
  const problems: string[] = [];
  const d = data as Partial<ServicesFile> | null;
  if (!d || typeof d !== 'object') return ['services file: not an object'];
  if (!isStrList(d.basePackages)) problems.push('basePackages: must be a list of package names');
  if (!Array.isArray(d.services) || d.services.length === 0) return [...problems, 'services: must be a non-empty list'];
  const guestIds = new Set(guests.guests.map((g) => g.id));
  const names = new Set<string>();
  d.services.forEach((s: Partial<Service>, i) => {
    const at = `services[${i}]${isStr(s?.name) ? ` (${s.name})` : ''}`;
    if (!isStr(s?.name)) problems.push(`${at}: name is missing`);
    else if (names.has(s.name)) problems.push(`${at}: duplicate name`);
    else names.add(s.name);
    validateService(s, at, problems);
    if (s?.onGuest === undefined) return;
    if (!s.onGuest || typeof s.onGuest !== 'object') {
      problems.push(`${at}: onGuest must be an object keyed by guest id`);
      return;
    }
    for (const [guest, override] of Object.entries(s.onGuest)) {
      if (!guestIds.has(guest)) problems.push(`${at}: onGuest names an unknown guest ${guest}`);
      if (!override || typeof override !== 'object') {
        problems.push(`${at}: onGuest.${guest} must be an object`);
        continue;
      }
      for (const k of Object.keys(override)) if (!OVERRIDABLE.has(k)) problems.push(`${at}: onGuest.${guest}.${k} cannot differ per guest`);
      validateService({ ...s, ...override }, `${at} on ${guest}`, problems);
    }
  });
  return problems;
}

export function validateCases(data: unknown, services: ServicesFile, guests: GuestsFile = loadGuests()): string[] {
  const problems: string[] = [];
  const d = data as Partial<CasesFile> | null;
  if (!d || typeof d !== 'object') return ['cases file: not an object'];
  const blocks = d.blocks ?? {};
  if (typeof blocks !== 'object') problems.push('blocks: must be an object of line lists');
  for (const [name, lines] of Object.entries(blocks)) if (!isStrList(lines)) problems.push(`blocks.${name}: must be a list of lines`);
  if (!Array.isArray(d.cases) || d.cases.length === 0) return [...problems, 'cases: must be a non-empty list'];
  const serviceNames = new Set(services.services.map((s) => s.name));
  const guestIds = new Set(guests.guests.map((g) => g.id));
  const ids = new Map<string, BootCase>();
  for (const [i, c] of (d.cases as Partial<BootCase>[]).entries()) {
    const at = `cases[${i}]${isStr(c?.id) ? ` (${c.id})` : ''}`;
    if (!isStr(c?.id) || !/^[\w/-]+$/.test(c.id)) problems.push(`${at}: id is missing or has other than letters, digits, _, - and /`);
    else if (ids.has(c.id)) problems.push(`${at}: duplicate id`);
    else ids.set(c.id, c as BootCase);
    if (c?.guest !== undefined && (!isStr(c.guest) || !guestIds.has(c.guest))) problems.push(`${at}: guest must be one of guests.json`);
    if (!isStr(c?.service) || !serviceNames.has(c.service)) problems.push(`${at}: service must be one of services.json`);
    if (c?.dropin !== null && !isStrList(c?.dropin)) problems.push(`${at}: dropin must be a list of lines or null`);
    for (const line of c?.dropin ?? []) {
      if (typeof line !== 'string') continue;
      if (line.startsWith('@')) {
        if (!(line.slice(1) in blocks)) problems.push(`${at}: unknown block ${line}`);
      } else if (!/^[A-Za-z]+=/.test(line)) problems.push(`${at}: dropin line is not a Key=value setting: ${line}`);
    }
    if (c?.expect !== 'healthy' && c?.expect !== 'broken') problems.push(`${at}: expect must be healthy or broken`);
    if (c?.journal !== undefined && !isStr(c.journal)) problems.push(`${at}: journal must be a non-empty line`);
    if (c?.checkOutput !== undefined && !isStr(c.checkOutput)) problems.push(`${at}: checkOutput must be a non-empty substring of the check's output`);
    if (c?.expect === 'broken' && !isStr(c.journal) && !isStr(c.checkOutput)) problems.push(`${at}: a broken case needs the journal line (journal) or the check's output (checkOutput) that explains it`);
    if (c?.expect === 'healthy' && (c.journal !== undefined || c.checkOutput !== undefined)) problems.push(`${at}: journal and checkOutput are the evidence of a broken case, not of a healthy one`);
    if (c?.expect === 'broken' && c.dropin === null) problems.push(`${at}: a baseline (no drop-in) must be healthy`);
    if (!isExposure(c?.exposure)) problems.push(`${at}: exposure must be a number 0.0-10.0 in tenths`);
    if (!isExposure(c?.offlineExposure)) problems.push(`${at}: offlineExposure must be a number 0.0-10.0 in tenths`);
    if (typeof c?.ci !== 'boolean') problems.push(`${at}: ci must be true or false`);
  }
  for (const c of ids.values()) {
    if (c.fixes === undefined) continue;
    const broken = ids.get(c.fixes);
    if (!broken) problems.push(`${c.id}: fixes an unknown case ${c.fixes}`);
    else if (broken.expect !== 'broken' || c.expect !== 'healthy') problems.push(`${c.id}: a fix must be healthy and fix a broken case`);
    else if (broken.service !== c.service) problems.push(`${c.id}: fixes a case of another service`);
    else if (guestOf(broken, guests) !== guestOf(c, guests)) problems.push(`${c.id}: fixes a case of another guest`);
  }
  // Every guest with cases has a baseline of every service it boots (a failure with a drop-in must
  // be the drop-in's doing, not the container's); the default guest has one of every service.
  const casesOn = (g: string): BootCase[] => [...ids.values()].filter((c) => guestOf(c, guests) === g);
  for (const g of guestIds) {
    const on = casesOn(g);
    const need = g === guests.default ? serviceNames : new Set(on.map((c) => c.service));
    for (const s of need) {
      if (!on.some((c) => c.service === s && c.dropin === null)) problems.push(`${s}: has no baseline case (dropin null) on ${g}`);
    }
  }
  return problems;
}

/** The guest a case boots. */
export function guestOf(c: Pick<BootCase, 'guest'>, guests: GuestsFile = loadGuests()): string {
  return c.guest ?? guests.default;
}

/** The guest with this id (throws on an unknown one: the data test names it first). */
export function guestById(id: string, guests: GuestsFile = loadGuests()): Guest {
  const g = guests.guests.find((x) => x.id === id);
  if (!g) throw new Error(`unknown guest ${id}`);
  return g;
}

/** A service as it is on a guest: its fields with the guest's overrides applied. */
export function serviceOn(service: Service, guest: string): Service {
  const { onGuest, ...base } = service;
  return { ...base, ...(onGuest?.[guest] ?? {}) };
}

/** Every service as it is on a guest. */
export function servicesOn(data: ServicesFile, guest: string): Service[] {
  return data.services.map((s) => serviceOn(s, guest));
}

/** The drop-in file text of a case (blocks expanded), or null for the baseline. */
export function dropinText(c: BootCase, blocks: Record<string, string[]>): string | null {
  if (c.dropin === null) return null;
  const lines = c.dropin.flatMap((l) => (l.startsWith('@') ? blocks[l.slice(1)] ?? [] : [l]));
  return `# boot test case ${c.id}\n[Service]\n${lines.join('\n')}\n`;
}

/** The units to mask when `service` is under test: every other service's units (all as on one guest). */
export function masksFor(service: Service, all: Service[]): string[] {
  return all.filter((s) => s.name !== service.name).flatMap((s) => s.units).filter((u) => !service.units.includes(u));
}

/** A file a service places in the guest: its path there and its source on the host. */
export interface GuestFile {
  guest: string;
  host: string;
}

/** The files a service places in the guest (services.json `files`), with their host paths. */
export function serviceFiles(service: Pick<Service, 'files'>): GuestFile[] {
  return Object.entries(service.files ?? {}).map(([guest, source]) => ({ guest, host: join(HERE, source) }));
}

/** What booting a case needs: its guest, its service as on that guest, its drop-in, the units to mask, the files to place. */
export function caseSetup(c: BootCase, services: ServicesFile, blocks: Record<string, string[]>, guests: GuestsFile = loadGuests()): { guest: Guest; service: Service; dropin: string | null; mask: string[]; files: GuestFile[] } {
  const guest = guestById(guestOf(c, guests), guests);
  const all = servicesOn(services, guest.id);
  const service = all.find((s) => s.name === c.service);
  if (!service) throw new Error(`${c.id}: unknown service ${c.service}`);
  return { guest, service, dropin: dropinText(c, blocks), mask: masksFor(service, all), files: serviceFiles(service) };
}

/** Every package a guest's tree needs, sorted. */
export function treePackages(data: ServicesFile, guest: string = loadGuests().default): string[] {
  const on = servicesOn(data, guest);
  return [...new Set([...data.basePackages, ...on.flatMap((s) => s.packages)])].sort();
}
/**
 * Judged by the service's own check, Result= and NRestarts=, not by is-active alone: a restart loop
 * looks active, and a service killed at first use was active until the check. A oneshot job is
 * judged once it has run: inactive (it ran to its end; the probe is ordered after it), Result=success
 * and its main process exited 0.
 */
export function healthy(r: BootResult, service: Service): boolean {
  const ran = service.oneshot
    ? r.activeState === 'inactive' && r.execMainCode === 1 && r.execMainStatus === 0
    : r.activeState === 'active';
  return r.probed && r.checkRc === 0 && new RegExp(service.expect, 'm').test(r.checkOutput.trim())
    && ran && r.result === 'success' && r.nRestarts === 0;
}

/**
 * The recorded evidence of a broken case that a boot did not show: its journal line (searched in
 * the unit's journal and its log files) and its check output (searched in what the check printed).
 * Empty when the boot showed all of it (always for a healthy case, which records none).
 */
export function missingEvidence(c: Pick<BootCase, 'journal' | 'checkOutput'>, r: Pick<BootResult, 'journal' | 'logs' | 'checkOutput'>): string[] {
  const missing: string[] = [];
  if (c.journal !== undefined && !`${r.journal}\n${r.logs}`.includes(c.journal)) missing.push(`journal lacks ${JSON.stringify(c.journal)}`);
  if (c.checkOutput !== undefined && !r.checkOutput.includes(c.checkOutput)) missing.push(`the check's output lacks ${JSON.stringify(c.checkOutput)}`);
  return missing;
}

/** One line that says how a boot went, for assertion messages and the report. */
export function summary(r: BootResult): string {
  return `probed=${r.probed} active=${r.activeState}/${r.subState} result=${r.result} restarts=${r.nRestarts} `
    + `main=${r.execMainCode}/${r.execMainStatus} check_rc=${r.checkRc} check=${JSON.stringify(r.checkOutput.trim().slice(0, 80))} `
    + `exposure=${r.exposure} offline=${r.offlineExposure} wall=${r.wallS.toFixed(1)}s`;
}
