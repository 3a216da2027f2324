/**
 * What some common services need from their sandbox (server/data/service-needs.json): the user they
 * switch to, the folders they write, the address families and system calls they use. Each fact carries
 * the failure a user would see when it is denied, and its source. A service is found by unit name (a
 * template by its `prefix@.service` name) or, for a unit that is not a template, by the program its ExecStart= runs.
 */
import data from '../../data/service-needs.json';

export interface UserSwitch {
  to: string;
  /** The system calls the switch makes. */
  calls: readonly string[];
  failure: string;
  source: string;
  /** What a boot showed when User= made systemd start the service as that user (it then skips its own switch). */
  startedAsUser?: { failure: string; source: string };
}

/** A capability the service uses while it runs as root. */
export interface CapabilityNeed {
  name: string;
  /** Needed only on the first start (folders not created yet): added by the fix, never alone the reason for a warning. */
  firstStartOnly?: boolean;
  use: string;
  failure: string;
  source: string;
}

export interface WriteNeed {
  path: string;
  /** The line that keeps the path writable. */
  fix: string;
  failure: string;
  source: string;
}

export interface FamilyNeed {
  family: string;
  /** The service runs without it; only a part of it fails (schema: degradesOnly). */
  degradesOnly?: boolean;
  use: string;
  failure: string;
  source: string;
}

export interface SyscallNeed {
  name: string;
  use: string;
  failure: string;
  source: string;
}

/**
 * The service is reached over IP only (no Unix socket its clients use by default): with
 * PrivateNetwork=yes it runs in a network of its own where nothing reaches it.
 */
export interface NetworkNeed {
  /** What it serves or connects to over IP, in words that follow the service's name. */
  use: string;
  failure: string;
  source: string;
}

export interface ServiceNeeds {
  name: string;
  /** What the facts assume, in a few words (the package and the configuration they were measured with). */
  assumes: string;
  units: readonly string[];
  binaries: readonly string[];
  switchesUser?: UserSwitch;
  /** Capabilities it uses as root besides the switch's CAP_SETUID and CAP_SETGID. */
  capabilities?: readonly CapabilityNeed[];
  writes: readonly WriteNeed[];
  addressFamilies?: readonly FamilyNeed[];
  syscalls?: readonly SyscallNeed[];
  ports?: readonly { port: number; source: string }[];
  network?: NetworkNeed;
  /** It reports on other users' processes from /proc (a process monitoring agent). */
  processes?: { use: string; failure: string; source: string };
}

const SERVICES: readonly ServiceNeeds[] = (data as { services: ServiceNeeds[] }).services;
const BY_UNIT = new Map<string, ServiceNeeds>();
const BY_BINARY = new Map<string, ServiceNeeds>();
for (let i = 0; i < SERVICES.length; i++) {
  const s = SERVICES[i]!;
  for (let j = 0; j < s.units.length; j++) BY_UNIT.set(s.units[j]!, s);
  for (let j = 0; j < s.binaries.length; j++) BY_BINARY.set(s.binaries[j]!, s);
}

/** Every service the data knows. */
export function knownServices(): readonly ServiceNeeds[] {
  return SERVICES;
}

/**
 * The needs of a unit: by its name (`postgresql@15-main.service` matches `postgresql@.service`), else, for a
 * unit that is neither a template nor an instance, by the program of its main command (ExecStart=).
 * Undefined when the data does not know the service.
 */
export function serviceNeedsFor(unitName: string, mainProgram: string | undefined): ServiceNeeds | undefined {
  const byName = BY_UNIT.get(unitName);
  if (byName) return byName;
  const at = unitName.indexOf('@');
  if (at > 0) {
    const dot = unitName.lastIndexOf('.');
    const template = BY_UNIT.get(unitName.slice(0, at + 1) + unitName.slice(dot));
    if (template) return template;
  }
  // By program only for a plain unit: a template's instances keep their data, sockets and logs in folders of
  // their own (mariadb@.service reads a configuration group per instance), which the facts do not describe.
  return mainProgram === undefined || at >= 0 ? undefined : BY_BINARY.get(mainProgram);
}
