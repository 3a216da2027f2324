/**
 * What a unit shows about itself, for the hold-backs: the programs it runs, a container runtime, the
 * network, devices, kernel settings, what the known service needs (server/data/service-needs.json),
 * namespaces, a set-user-ID helper, and the settings it turns off on purpose.
 */
import { lastAssignment } from '../../model/build';
import type { UnitModel } from '../../model/unit-model';
import { parseBoolean } from '../../model/values/booleans';
import { typedValues } from '../../model/security-inputs';
import { deviceUses } from '../../evidence/device-use';
import { kernelWrites } from '../../evidence/kernel-writes';
import { SETS_NO_NEW_PRIVILEGES, runsUnprivileged, setuidHelperUses } from '../../evidence/no-new-privileges';
import { serviceNeedsFor, type ServiceNeeds } from '../../knowledge/service-needs';
import { CONTAINER, namespaceProgram } from '../../knowledge/namespace-creators';
import { ALL_COMMAND_KEYS, execBinaries, firstWord, settingValues, startCommandsText } from './command-lines';
import { usesNetwork } from './uses-network';

/** Whether the service starts as root (no User=, or root) and not under DynamicUser=yes (also for the titles of rules/sandbox-risk.ts). */
export function startsAsRoot(model: UnitModel): boolean {
  const user = lastAssignment(model, 'Service', 'User')?.value ?? '';
  return (
    (user === '' || user === 'root' || user === '0') &&
    parseBoolean(lastAssignment(model, 'Service', 'DynamicUser')?.value ?? '') !== true
  );
}

/** What the unit shows about itself, gathered once per unit (the costlier facts on first use). */
export class UnitFacts {
  /** The programs of the start commands (ExecStart=, ExecStartPre=, ExecStartPost=). */
  readonly startPrograms: string[];
  readonly container: string | undefined;
  private network: string | null | undefined;
  private devices: boolean | undefined;
  private kernel: string | null | undefined;
  private granted: string | undefined;
  private needs: ServiceNeeds | null | undefined;
  private namespaces: string | null | undefined;
  private helper: { path: string; unprivileged: boolean } | null | undefined;
  /** The [Service] keys whose last value is a "no" (few units have any). */
  private readonly off: ReadonlySet<string>;

  constructor(private readonly model: UnitModel) {
    this.startPrograms = execBinaries(model);
    this.container = this.startPrograms.find((b) => CONTAINER.test(b));
    const off = new Set<string>();
    for (const [full, list] of model.settings) {
      if (!full.startsWith('Service.')) continue;
      const last = list[list.length - 1];
      if (last && last.value.length <= 5 && parseBoolean(last.value) === false) off.add(full.slice('Service.'.length));
    }
    this.off = off;
  }

  usesNetwork(): string | null {
    return this.network === undefined ? (this.network = usesNetwork(this.model)) : this.network;
  }

  /** Broader than breaks-private-devices (any DeviceAllow=, any /dev/ but /dev/null on a start command), and never narrower: it also asks that rule's detector. */
  usesDevices(): boolean {
    return (this.devices ??=
      settingValues(this.model, 'Service', 'DeviceAllow').some((v) => v.trim() !== '') ||
      /\s\/dev\/(?!null\b)/.test(' ' + startCommandsText(this.model)) ||
      deviceUses(this.model, typedValues(this.model).value).length > 0);
  }

  /** A command writes kernel settings (the breaks-kernel-tunables rule's detector). */
  writesKernelSettings(): string | null {
    if (this.kernel === undefined) this.kernel = kernelWrites(typedValues(this.model).value)[0]?.evidence ?? null;
    return this.kernel;
  }

  /** AmbientCapabilities= of the unit, upper case. */
  grantedCapabilities(): string {
    return (this.granted ??= settingValues(this.model, 'Service', 'AmbientCapabilities').join(' ').toUpperCase());
  }

  /** What service-needs.json says the service needs, by unit name or the program of ExecStart=. */
  serviceNeeds(): ServiceNeeds | null {
    if (this.needs !== undefined) return this.needs;
    const main = firstWord(settingValues(this.model, 'Service', 'ExecStart')[0] ?? '');
    return (this.needs = serviceNeedsFor(this.model.name, main) ?? null);
  }

  startsAsRoot(): boolean {
    return startsAsRoot(this.model);
  }

  /** Address families the service needs, with why: AF_UNIX for sd_notify() and D-Bus, and the known service's own. */
  neededFamilies(): Map<string, string> {
    const out = new Map<string, string>();
    const type = (lastAssignment(this.model, 'Service', 'Type')?.value ?? '').toLowerCase();
    if (type === 'notify' || type === 'notify-reload')
      out.set('AF_UNIX', `Type=${type} reports readiness with sd_notify() over a Unix socket`);
    else if (type === 'dbus' || lastAssignment(this.model, 'Service', 'BusName'))
      out.set('AF_UNIX', 'the service talks to D-Bus over a Unix socket');
    for (const f of this.serviceNeeds()?.addressFamilies ?? [])
      if (!out.has(f.family)) out.set(f.family, `${this.serviceNeeds()!.name} uses it: ${f.use}`);
    return out;
  }

  /** A program on any command line that may create namespaces (unshare, bwrap, a container runtime...), or null. */
  namespaceCreator(): string | null {
    if (this.namespaces !== undefined) return this.namespaces;
    const bin = execBinaries(this.model, ALL_COMMAND_KEYS).find((b) => namespaceProgram(b) !== undefined);
    return (this.namespaces = bin ?? null);
  }

  /**
   * Why giving the service the no-new-privileges flag (`key`= sets or implies it) would stop a
   * set-user-ID helper it runs (sudo), or null: the same evidence as breaks-no-new-privileges, also
   * for a unit that runs as root when the line is DynamicUser=, which would make it run as another user.
   */
  setuidHelperStopped(key: string): string | null {
    if (this.helper === undefined) {
      const values = typedValues(this.model).value;
      const use = setuidHelperUses(this.model, values, true)[0];
      this.helper = use ? { path: use.command.path, unprivileged: runsUnprivileged(values) } : null;
    }
    const h = this.helper;
    if (h === null || (!h.unprivileged && key !== 'DynamicUser')) return null;
    // From 255 only a system-call filter (one that denies capget(), capset() or prctl()) implies the flag.
    if (this.model.version >= 255 && !SETS_NO_NEW_PRIVILEGES.includes(key) && key !== 'SystemCallFilter') return null;
    return `the unit runs ${h.path} as a user other than root, which the no-new-privileges flag (set or implied by ${key}=) keeps from becoming root`;
  }

  /** The unit's last assignment of [Service] `key` is a "no". */
  explicitlyOff(key: string): boolean {
    return this.off.size !== 0 && this.off.has(key);
  }
}
