/**
 * Random mixes of sandboxing settings as drop-in text: every setting a check of systemd-analyze
 * security reads, with each value its check distinguishes (and some it refuses), lists set twice,
 * empty resets, `~` inversions, users, DynamicUser=, DefaultDependencies=no. Deterministic per seed.
 */
import { rng } from '../fuzz/fuzz';

const BOOL = ['yes', 'no', 'true', 'false', '1', '0', 'on', 'off'];
const CAPS = [
  'CAP_SYS_ADMIN',
  'CAP_SETUID',
  'CAP_SETGID',
  'CAP_SETPCAP',
  'CAP_SYS_PTRACE',
  'CAP_SYS_TIME',
  'CAP_NET_ADMIN',
  'CAP_SYS_RAWIO',
  'CAP_SYS_MODULE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SYSLOG',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_MKNOD',
  'CAP_CHOWN',
  'CAP_FSETID',
  'CAP_SETFCAP',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_IPC_OWNER',
  'CAP_KILL',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_RAW',
  'CAP_SYS_BOOT',
  'CAP_MAC_ADMIN',
  'CAP_MAC_OVERRIDE',
  'CAP_LINUX_IMMUTABLE',
  'CAP_IPC_LOCK',
  'CAP_SYS_CHROOT',
  'CAP_BLOCK_SUSPEND',
  'CAP_WAKE_ALARM',
  'CAP_LEASE',
  'CAP_SYS_TTY_CONFIG',
  'CAP_SYS_PACCT',
  'CAP_BPF',
  'CAP_PERFMON',
  'cap_net_raw',
  '12',
  '0x15',
];
const NAMESPACES = ['user', 'mnt', 'ipc', 'pid', 'cgroup', 'net', 'uts'];
const FAMILIES = ['AF_UNIX', 'AF_INET', 'AF_INET6', 'AF_NETLINK', 'AF_PACKET', 'AF_BLUETOOTH', 'AF_CAN', 'af_inet'];
const SYSCALL_WORDS = [
  '@system-service',
  '@basic-io',
  '@file-system',
  '@network-io',
  '@privileged',
  '@resources',
  '@swap',
  '@obsolete',
  '@clock',
  '@cpu-emulation',
  '@debug',
  '@mount',
  '@module',
  '@raw-io',
  '@reboot',
  '@known',
  'ptrace',
  'reboot',
  'swapon',
  'mount',
  'clock_settime',
  'kexec_load',
  'init_module',
  'ioperm',
  'personality',
  'settimeofday:EPERM',
  'acct',
];
const USERS = ['root', '0', 'nobody', 'svc', 'www-data', '1000', '', 'bad/name'];
const DEVICES = [
  '/dev/null rw',
  '/dev/zero r',
  'char-rtc r',
  'block-loop rwm',
  '/dev/sda',
  'char-pts rw',
  '/dev/fuse rwm',
];
const IP = [
  'any',
  'localhost',
  '127.0.0.1',
  '::1',
  '10.0.0.0/8',
  '192.168.1.0/24',
  'link-local',
  'multicast',
  '0.0.0.0/0',
  '::/0',
  'fe80::/64',
];

type Gen = (
  pick: <T>(xs: readonly T[]) => T,
  some: <T>(xs: readonly T[], max: number) => T[],
  chance: (p: number) => boolean,
) => string;

/** Setting → a generator of one value. */
const SETTINGS: Record<string, Gen> = {
  PrivateDevices: (p) => p(BOOL),
  PrivateMounts: (p) => p([...BOOL, '']),
  PrivateNetwork: (p) => p(BOOL),
  PrivateTmp: (p) => p([...BOOL, 'connected', 'disconnected']),
  PrivateUsers: (p) => p([...BOOL, 'self', 'identity', 'full', 'managed']),
  ProtectControlGroups: (p) => p([...BOOL, 'private', 'strict']),
  ProtectKernelModules: (p) => p(BOOL),
  ProtectKernelTunables: (p) => p(BOOL),
  ProtectKernelLogs: (p) => p(BOOL),
  ProtectClock: (p) => p(BOOL),
  ProtectHostname: (p) => p([...BOOL, 'private', 'yes:myhost', '']),
  ProtectHome: (p) => p(['yes', 'no', 'read-only', 'tmpfs', 'true', 'off']),
  ProtectSystem: (p) => p(['yes', 'no', 'full', 'strict', 'true', '0']),
  ProtectProc: (p) => p(['default', 'noaccess', 'invisible', 'ptraceable']),
  ProcSubset: (p) => p(['all', 'pid']),
  LockPersonality: (p) => p(BOOL),
  MemoryDenyWriteExecute: (p) => p(BOOL),
  NoNewPrivileges: (p) => p(BOOL),
  RestrictRealtime: (p) => p(BOOL),
  RestrictSUIDSGID: (p) => p(BOOL),
  RemoveIPC: (p) => p(BOOL),
  Delegate: (p) => p([...BOOL, '', 'cpu memory', 'pids']),
  KeyringMode: (p) => p(['inherit', 'private', 'shared']),
  NotifyAccess: (p) => p(['none', 'main', 'exec', 'all']),
  UMask: (p) => p(['0000', '0002', '0022', '0027', '0077', '0007', '0020', '0777', '077']),
  User: (p) => p(USERS),
  Group: (p) => p(['svc', 'root', '']),
  DynamicUser: (p) => p(BOOL),
  SupplementaryGroups: (p) => p(['adm', 'adm audio', '', 'svc']),
  CapabilityBoundingSet: (_p, some, chance) =>
    chance(0.1) ? '' : `${chance(0.5) ? '~' : ''}${some(CAPS, 4).join(' ')}`,
  AmbientCapabilities: (_p, some, chance) => (chance(0.3) ? '' : `${chance(0.2) ? '~' : ''}${some(CAPS, 3).join(' ')}`),
  RestrictNamespaces: (p, some, chance) =>
    chance(0.3) ? p([...BOOL, '']) : `${chance(0.5) ? '~' : ''}${some(NAMESPACES, 3).join(' ')}`,
  RestrictAddressFamilies: (p, some, chance) =>
    chance(0.2) ? p(['', 'none']) : `${chance(0.5) ? '~' : ''}${some(FAMILIES, 3).join(' ')}`,
  SystemCallFilter: (_p, some, chance) =>
    chance(0.1) ? '' : `${chance(0.5) ? '~' : ''}${some(SYSCALL_WORDS, 3).join(' ')}`,
  SystemCallArchitectures: (p) => p(['native', 'x86 x86-64', 'native x86', '', 'x86-64']),
  SystemCallErrorNumber: (p) => p(['EPERM', 'kill', '']),
  IPAddressDeny: (_p, some, chance) => (chance(0.2) ? '' : some(IP, 2).join(' ')),
  IPAddressAllow: (_p, some, chance) => (chance(0.2) ? '' : some(IP, 2).join(' ')),
  DevicePolicy: (p) => p(['auto', 'closed', 'strict']),
  DeviceAllow: (p) => p([...DEVICES, '']),
  RootDirectory: (p) => p(['/srv/root', '/', '']),
  RootImage: (p) => p(['/srv/image.raw', '']),
};

export interface Mix {
  /** Drop-in texts, applied in order. */
  dropins: string[];
}

/** `count` random drop-in mixes. */
export function randomMixes(seed: number, count: number): Mix[] {
  const next = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const chance = (p: number): boolean => next() < p;
  const some = <T>(xs: readonly T[], max: number): T[] => {
    const n = 1 + Math.floor(next() * max);
    const out: T[] = [];
    for (let i = 0; i < n; i++) {
      const x = pick(xs);
      if (!out.includes(x)) out.push(x);
    }
    return out;
  };
  const keys = Object.keys(SETTINGS);
  const mixes: Mix[] = [];
  for (let i = 0; i < count; i++) {
    const files = chance(0.25) ? 2 : 1;
    const dropins: string[] = [];
    for (let f = 0; f < files; f++) {
      const lines: string[] = [];
      const unit: string[] = [];
      if (chance(0.12)) unit.push(`DefaultDependencies=${pick(['no', 'yes'])}`);
      const n = 2 + Math.floor(next() * 10);
      for (let k = 0; k < n; k++) {
        const key = pick(keys);
        lines.push(`${key}=${SETTINGS[key]!(pick, some, chance)}`);
        // Lists set twice (merged), or reset and set again.
        if (chance(0.2)) lines.push(`${key}=${SETTINGS[key]!(pick, some, chance)}`);
        if (chance(0.05)) lines.push(`${key}=`, `${key}=${SETTINGS[key]!(pick, some, chance)}`);
      }
      if (chance(0.15)) lines.push(`DynamicUser=${pick(['yes', 'no'])}`);
      dropins.push((unit.length ? `[Unit]\n${unit.join('\n')}\n` : '') + `[Service]\n${lines.join('\n')}\n`);
    }
    mixes.push({ dropins });
  }
  return mixes;
}
