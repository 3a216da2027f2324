/**
 * Suggestions that would break the service, judged from what the unit itself shows: a service that
 * talks to the network is not offered PrivateNetwork=; one that lists devices is not offered
 * PrivateDevices=; a JIT runtime is not offered MemoryDenyWriteExecute=; a capability the unit grants
 * is not taken away; an explicit "no" is taken as a requirement. The full over-tight analysis (reading
 * what a sandbox will break on start) builds on this.
 */
import { lastAssignment } from '../model/build';
import type { UnitModel } from '../model/types';

const NETWORK_TARGETS = /(^|\s)network(-online)?\.target(\s|$)/;
const URL_OR_PORT = /(\b[a-z][a-z0-9+.-]*:\/\/)|(\s--?(listen|port|bind|host)\b)|(\b\d{1,3}(\.\d{1,3}){3}:\d+\b)|(\[[0-9a-f:]+\]:\d+)|(\blocalhost:\d+\b)|(\s:\d{2,5}\b)/i;
const JIT = /(^|\/)(java|node|nodejs|dotnet|mono|luajit|pypy3?|qemu-[\w-]+|qemu|beam(\.smp)?|erl|chromium|firefox|electron|php-fpm[\d.]*)$/;
const CONTAINER = /(^|\/)(dockerd|containerd|podman|lxc-start|lxd|systemd-nspawn|crio|runc|crun|buildkitd|libvirtd|virtqemud|incusd|k3s|kubelet)$/;
const FALSY = new Set(['0', 'no', 'n', 'false', 'f', 'off']);

function values(model: UnitModel, section: string, key: string): string[] {
  return (model.settings.get(`${section}.${key}`) ?? []).map((a) => a.value);
}

function execBinaries(model: UnitModel): string[] {
  return ['ExecStart', 'ExecStartPre', 'ExecStartPost']
    .flatMap((k) => values(model, 'Service', k))
    .map((v) => v.replace(/^[-@:+!|]+/, '').trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

function execText(model: UnitModel): string {
  return ['ExecStart', 'ExecStartPre', 'ExecStartPost'].flatMap((k) => values(model, 'Service', k)).join('\n');
}

/** Why the unit looks like it talks to the network, or null. */
export function usesNetwork(model: UnitModel): string | null {
  for (const k of ['After', 'Wants', 'Requires', 'BindsTo']) {
    if (values(model, 'Unit', k).some((v) => NETWORK_TARGETS.test(v))) return `it orders itself after network.target or network-online.target (${k}=)`;
  }
  if (values(model, 'Service', 'Sockets').length) return 'it is activated by sockets (Sockets=)';
  if (values(model, 'Service', 'IPAddressAllow').some((v) => v.trim() !== '')) return 'it allows IP addresses (IPAddressAllow=)';
  if (URL_OR_PORT.test(' ' + execText(model))) return 'its command line names a URL, address or port';
  const families = lastAssignment(model, 'Service', 'RestrictAddressFamilies')?.value ?? '';
  if (families && !families.startsWith('~') && /AF_INET/.test(families)) return 'it allows AF_INET sockets (RestrictAddressFamilies=)';
  return null;
}

function explicitlyOff(model: UnitModel, key: string): boolean {
  const v = lastAssignment(model, 'Service', key)?.value.toLowerCase();
  return v !== undefined && FALSY.has(v);
}

/** What the unit shows about itself, gathered once per unit. */
interface UnitFacts {
  bins: string[];
  container: string | undefined;
  exec: string;
  network: string | null | undefined;
}

/**
 * A checker for one unit: why adding `lines` would probably break the service, or null when nothing
 * in the unit says so. The unit's facts are gathered once, so checking many suggestions stays cheap.
 */
export function breakageChecker(model: UnitModel): (lines: readonly string[]) => string | null {
  const bins = execBinaries(model);
  const facts: UnitFacts = { bins, container: bins.find((b) => CONTAINER.test(b)), exec: execText(model), network: undefined };
  const network = (): string | null => (facts.network === undefined ? (facts.network = usesNetwork(model)) : facts.network);
  return (lines) => {
    for (const line of lines) {
      const why = lineBreakage(model, facts, network, line);
      if (why) return why;
    }
    return null;
  };
}

/** Why adding `lines` would probably break this service, or null when nothing in the unit says so. */
export function breakageOf(model: UnitModel, lines: readonly string[]): string | null {
  return breakageChecker(model)(lines);
}

function lineBreakage(model: UnitModel, facts: UnitFacts, network: () => string | null, line: string): string | null {
  const eq = line.indexOf('=');
  const key = line.slice(0, eq);
  const value = line.slice(eq + 1);
  if (facts.container && /^(RestrictNamespaces|PrivateDevices|ProtectControlGroups|ProtectKernelModules|ProtectKernelTunables|PrivateUsers|PrivateNetwork|SystemCallFilter|CapabilityBoundingSet|RestrictAddressFamilies|DevicePolicy|DeviceAllow|PrivateMounts|User|DynamicUser|NoNewPrivileges)$/.test(key)) {
    return `${facts.container} runs containers or machines, which need what ${key}= takes away`;
  }
  if (explicitlyOff(model, key) && /^(yes|true|on|1|strict)$/i.test(value)) return `the unit sets ${key}=no on purpose`;
  if (key === 'PrivateNetwork' || (key === 'RestrictAddressFamilies' && /AF_INET/.test(value) && value.startsWith('~')) || key === 'IPAddressDeny') {
    const why = network();
    if (why) return `the service uses the network: ${why}`;
  }
  if ((key === 'PrivateDevices' || key === 'DevicePolicy') && (values(model, 'Service', 'DeviceAllow').some((v) => v.trim() !== '') || /\s\/dev\/(?!null\b)/.test(' ' + facts.exec))) {
    return 'the unit uses device nodes (DeviceAllow= or /dev/ on its command line)';
  }
  if (key === 'MemoryDenyWriteExecute' && facts.bins.some((b) => JIT.test(b))) return 'the service is a runtime that compiles code at run time (JIT), which needs writable and executable memory';
  if (key === 'CapabilityBoundingSet' && value.startsWith('~')) {
    const granted = values(model, 'Service', 'AmbientCapabilities').join(' ').toUpperCase();
    const dropped = value.slice(1).split(/\s+/).filter((c) => granted.includes(c.toUpperCase()));
    if (dropped.length) return `the unit grants ${dropped.join(', ')} in AmbientCapabilities=`;
  }
  if ((key === 'User' || key === 'DynamicUser') && /^(root|0)$/.test(lastAssignment(model, 'Service', 'User')?.value ?? '')) return 'the unit sets User=root on purpose';
  if (key === 'Delegate' && !explicitlyOff(model, 'Delegate') && lastAssignment(model, 'Service', 'Delegate')) return 'the unit delegates a cgroup subtree on purpose (Delegate=)';
  if (key === 'NotifyAccess' && lastAssignment(model, 'Service', 'NotifyAccess')?.value === 'all') return 'the unit sets NotifyAccess=all on purpose';
  if (key === 'KeyringMode' && lastAssignment(model, 'Service', 'KeyringMode')) return `the unit sets KeyringMode=${lastAssignment(model, 'Service', 'KeyringMode')!.value} on purpose`;
  return null;
}
