/**
 * What a sandbox fix outside the safe set can break, for the title of a fix the breakage analysis
 * cannot vouch for ("may break the service: it switches user ..."). The safe set (exposure/plans.ts,
 * booted healthy on every service tried) and fixes the unit or a known service shows would break
 * (held back by exposure/breakage.ts, never offered) need no such words; every other fix gets the
 * failure a service would meet, from systemd.exec(5) and the boot cases of test/boot.
 */
import type { UnitModel } from '../model/unit-model';
import { startsAsRoot } from '../exposure/hold-backs';

function capabilityRisk(model: UnitModel, caps: string[]): string {
  const root = startsAsRoot(model);
  if (root && (caps.includes('CAP_SETUID') || caps.includes('CAP_SETGID')))
    return 'it starts as root and may switch user itself, which needs CAP_SETUID and CAP_SETGID';
  if (caps.includes('CAP_NET_BIND_SERVICE'))
    return 'a service that listens on a port below 1024 needs CAP_NET_BIND_SERVICE';
  if (root && (caps.includes('CAP_CHOWN') || caps.includes('CAP_DAC_OVERRIDE') || caps.includes('CAP_FOWNER')))
    return `it starts as root and may need ${caps.join(', ')} for files it does not own`;
  return `a service that uses ${caps.join(', ')} fails`;
}

const FAMILY_USE: Record<string, string> = {
  AF_UNIX: 'a service that logs to syslog, talks to D-Bus or reports readiness over a Unix socket fails',
  AF_INET: 'it cuts the service off IP networks',
  AF_NETLINK: 'a service that reads or changes network configuration (netlink) fails',
  AF_PACKET: 'a service that captures or sends raw packets (DHCP, monitoring) fails',
};

function syscallRisk(group: string): string {
  if (group === '@privileged' || group === '@setuid')
    return `a service that switches user itself calls ${group === '@setuid' ? 'setuid()' : 'setuid() (in @privileged)'}, and a denied call kills it (SIGSYS) unless SystemCallErrorNumber= is set`;
  return `a call of ${group} kills the service (SIGSYS) unless SystemCallErrorNumber= is set`;
}

/** What the fix's lines can break, in words that follow "may break the service: ". */
export function riskOf(model: UnitModel, lines: readonly string[]): string {
  const set = lines.filter((l) => !l.endsWith('='));
  const line = set[set.length - 1] ?? lines[lines.length - 1] ?? '';
  const eq = line.indexOf('=');
  const key = line.slice(0, eq);
  const value = line.slice(eq + 1);
  const words = value
    .replace(/^~/, '')
    .split(/\s+/)
    .filter((w) => w !== '');
  switch (key) {
    case 'DynamicUser':
    case 'User':
      return 'it switches user: the service runs as a new dynamic user, loses access to what its user owns today and cannot switch user itself';
    case 'CapabilityBoundingSet':
      return capabilityRisk(
        model,
        words.map((w) => w.toUpperCase()),
      );
    case 'AmbientCapabilities':
      return 'the service loses the capabilities the unit grants it';
    case 'SupplementaryGroups':
      return 'the service loses its extra groups and the files they give it';
    case 'SystemCallFilter':
      return syscallRisk(words[0] ?? '');
    case 'RestrictAddressFamilies':
      if (value.startsWith('~'))
        return FAMILY_USE[words[0] ?? ''] ?? `a service that opens ${words.join(', ')} sockets fails`;
      return `a service that opens sockets other than ${words.join(', ') || 'none'} fails`;
    case 'PrivateNetwork':
      return 'it cuts the service off the network';
    case 'IPAddressDeny':
      return 'it blocks all IP traffic of the service';
    case 'PrivateDevices':
    case 'DevicePolicy':
    case 'DeviceAllow':
      return 'the service sees only pseudo devices (/dev/null, /dev/zero, /dev/random...): one that opens a disk, a serial port or a GPU fails';
    case 'PrivateUsers':
      return "the service sees the host's users as nobody and its capabilities stop applying to the host's files";
    case 'PrivateMounts':
      return 'mounts the service makes no longer reach the rest of the system';
    case 'ProtectSystem':
      return 'the whole file system becomes read-only: a service that writes outside its own StateDirectory=, LogsDirectory=, RuntimeDirectory= or ReadWritePaths= fails';
    case 'ProtectHome':
      return '/home, /root and /run/user become empty: a service that reads or writes there fails';
    case 'ProtectProc':
      return "other users' processes vanish from /proc: a monitoring agent sees only its own";
    case 'ProcSubset':
      return '/proc shows only process folders: a service that reads /proc/meminfo, /proc/cpuinfo or /proc/net fails';
    case 'MemoryDenyWriteExecute':
      return 'a runtime that compiles code while it runs (Java, Node.js, a JIT) fails';
    case 'UMask':
      return 'files the service creates become private: other users or groups that read them are refused';
    case 'NotifyAccess':
      return 'only the main process can report readiness: a service whose helper reports it times out';
    case 'Delegate':
      return 'a service that manages its own control groups (a container runtime) fails';
    case 'KeyringMode':
      return 'a service that shares kernel keys with other services loses them';
    default:
      return `${key}=${value} takes away something the unit does not show it needs, but it may`;
  }
}
