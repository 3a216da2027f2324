/**
 * Typed values: a table of (setting lines → effective value, problems). Each row's expectation was
 * checked against systemd's source and, where it changes the score, against the real
 * systemd-analyze of each version (see test/conformance/exposure.test.ts for the corpus).
 *
 * `problems` lists, per problem, the text of the value span it points at and the effect; a row
 * without `problems` expects none.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildUnit } from '../../server/src/model/build';
import {
  securityInputs,
  type SecurityInputs,
  typedValues,
  type TypedValues,
  valueProblems,
} from '../../server/src/model/security-inputs';
import type { ValueProblem } from '../../server/src/model/unit-model';
import { splitWords, EXTRACT_UNQUOTE, EXTRACT_CUNESCAPE, unitPrintf } from '../../server/src/model/values';

const VERSIONS = [252, 254, 257, 262] as const;
type V = (typeof VERSIONS)[number];

interface Row {
  /** Lines under [Service] (an ExecStart=/bin/true line is added unless `raw`). */
  lines: string[];
  /** The whole unit text instead. */
  raw?: string;
  name?: string;
  versions?: readonly V[];
  get: (v: TypedValues, s: SecurityInputs) => unknown;
  want: unknown;
  /** [text the span covers, effect, message substring?] */
  problems?: Array<[string, 'ignored' | 'fatal', string?]>;
}

const bits = (...n: number[]): bigint => n.reduce((m, k) => m | (1n << BigInt(k)), 0n);
const ALL64 = (1n << 64n) - 1n;
const caps = (v: TypedValues) => v.capabilityBoundingSet;
const CAP_CHOWN = 0;
const CAP_KILL = 5;
const CAP_NET_ADMIN = 12;
const CAP_SYS_ADMIN = 21;

const ROWS: Array<[string, Row]> = [
  // booleans
  ['bool yes', { lines: ['PrivateNetwork=yes'], get: (v) => v.booleans.PrivateNetwork, want: true }],
  ['bool case-insensitive', { lines: ['PrivateNetwork=TrUe'], get: (v) => v.booleans.PrivateNetwork, want: true }],
  [
    'bool all words',
    {
      lines: [
        'NoNewPrivileges=1',
        'LockPersonality=y',
        'RestrictRealtime=t',
        'RestrictSUIDSGID=on',
        'PrivateDevices=off',
        'PrivateDevices=f',
      ],
      get: (v) => [
        v.booleans.NoNewPrivileges,
        v.booleans.LockPersonality,
        v.booleans.RestrictRealtime,
        v.booleans.RestrictSUIDSGID,
        v.booleans.PrivateDevices,
      ],
      want: [true, true, true, true, false],
    },
  ],
  [
    'bool invalid keeps previous',
    {
      lines: ['PrivateNetwork=yes', 'PrivateNetwork=maybe'],
      get: (v) => v.booleans.PrivateNetwork,
      want: true,
      problems: [['maybe', 'ignored', 'PrivateNetwork= takes a boolean']],
    },
  ],
  [
    'bool empty is invalid',
    { lines: ['ProtectClock='], get: (v) => v.booleans.ProtectClock, want: false, problems: [['', 'ignored']] },
  ],
  [
    'DynamicUser invalid is fatal',
    {
      lines: ['DynamicUser=maybe'],
      get: (_v, s) => s.refused?.code,
      want: 'fatal-setting',
      problems: [['maybe', 'fatal']],
    },
  ],
  [
    'DefaultDependencies',
    {
      raw: '[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/bin/true\n',
      lines: [],
      get: (v) => v.defaultDependencies,
      want: false,
    },
  ],

  // enums
  ['ProtectSystem boolean', { lines: ['ProtectSystem=YES'], get: (v) => v.protectSystem, want: 'yes' }],
  ['ProtectSystem strict', { lines: ['ProtectSystem=strict'], get: (v) => v.protectSystem, want: 'strict' }],
  [
    'ProtectSystem case-sensitive words',
    {
      lines: ['ProtectSystem=full', 'ProtectSystem=Strict'],
      get: (v) => v.protectSystem,
      want: 'full',
      problems: [['Strict', 'ignored', "ProtectSystem= takes yes, no, full or strict; systemd ignores 'Strict'"]],
    },
  ],
  ['ProtectHome read-only', { lines: ['ProtectHome=read-only'], get: (v) => v.protectHome, want: 'read-only' }],
  ['ProtectHome false word', { lines: ['ProtectHome=tmpfs', 'ProtectHome=0'], get: (v) => v.protectHome, want: 'no' }],
  ['ProtectProc', { lines: ['ProtectProc=invisible'], get: (v) => v.protectProc, want: 'invisible' }],
  [
    'ProtectProc no booleans',
    { lines: ['ProtectProc=yes'], get: (v) => v.protectProc, want: 'default', problems: [['yes', 'ignored']] },
  ],
  ['ProcSubset', { lines: ['ProcSubset=pid'], get: (v) => v.procSubset, want: 'pid' }],
  ['KeyringMode default for services', { lines: [], get: (v) => v.keyringMode, want: 'private' }],
  ['KeyringMode shared', { lines: ['KeyringMode=shared'], get: (v) => v.keyringMode, want: 'shared' }],
  ['NotifyAccess', { lines: ['NotifyAccess=all'], get: (v) => v.notifyAccess, want: 'all' }],
  [
    'NotifyAccess bad',
    { lines: ['NotifyAccess=ALL'], get: (v) => v.notifyAccess, want: 'none', problems: [['ALL', 'ignored']] },
  ],
  ['DevicePolicy', { lines: ['DevicePolicy=strict'], get: (v) => v.devicePolicy, want: 'strict' }],
  [
    'PrivateTmp boolean before 257',
    { lines: ['PrivateTmp=yes'], versions: [252, 254], get: (v) => v.privateTmp, want: 'yes' },
  ],
  [
    'PrivateTmp enum 257+',
    { lines: ['PrivateTmp=yes'], versions: [257, 262], get: (v) => v.privateTmp, want: 'connected' },
  ],
  [
    'PrivateTmp=disconnected 257+',
    { lines: ['PrivateTmp=disconnected'], versions: [257, 262], get: (_v, s) => s.privateTmp, want: true },
  ],
  [
    'PrivateTmp=disconnected before 257',
    {
      lines: ['PrivateTmp=disconnected'],
      versions: [252, 254],
      get: (_v, s) => s.privateTmp,
      want: false,
      problems: [['disconnected', 'ignored']],
    },
  ],
  [
    'ProtectControlGroups=private 257+',
    {
      lines: ['ProtectControlGroups=private'],
      versions: [257, 262],
      get: (_v, s) => s.protectControlGroups,
      want: true,
    },
  ],
  [
    'PrivateUsers=identity 257+',
    { lines: ['PrivateUsers=identity'], versions: [257, 262], get: (_v, s) => s.privateUsers, want: true },
  ],
  [
    'PrivateUsers=full only 262',
    {
      lines: ['PrivateUsers=full'],
      versions: [257],
      get: (v) => v.privateUsers,
      want: 'no',
      problems: [['full', 'ignored']],
    },
  ],
  [
    'PrivateUsers=full 262',
    { lines: ['PrivateUsers=full'], versions: [262], get: (v) => v.privateUsers, want: 'full' },
  ],
  [
    'ProtectHostname=private 262',
    {
      lines: ['ProtectHostname=private:box'],
      versions: [262],
      get: (v) => v.protectHostname,
      want: { mode: 'private', hostname: 'box' },
    },
  ],
  [
    'ProtectHostname=private before 262',
    {
      lines: ['ProtectHostname=private'],
      versions: [252, 257],
      get: (_v, s) => s.protectHostname,
      want: false,
      problems: [['private', 'ignored']],
    },
  ],
  [
    'ProtectHostname empty resets 262',
    {
      lines: ['ProtectHostname=yes', 'ProtectHostname='],
      versions: [262],
      get: (_v, s) => s.protectHostname,
      want: false,
    },
  ],
  [
    'PrivateMounts unset counts as set from 254',
    { lines: [], versions: [254, 257, 262], get: (_v, s) => s.privateMounts, want: true },
  ],
  ['PrivateMounts unset is off in 252', { lines: [], versions: [252], get: (_v, s) => s.privateMounts, want: false }],
  ['PrivateMounts=no', { lines: ['PrivateMounts=no'], get: (_v, s) => s.privateMounts, want: false }],
  [
    'PrivateMounts empty 254+',
    { lines: ['PrivateMounts=no', 'PrivateMounts='], versions: [254, 262], get: (v) => v.privateMounts, want: null },
  ],
  [
    'Delegate controllers',
    { lines: ['Delegate=cpu memory'], get: (v) => v.delegate, want: { enabled: true, controllers: ['cpu', 'memory'] } },
  ],
  ['Delegate empty enables', { lines: ['Delegate=no', 'Delegate='], get: (v) => v.delegate.enabled, want: true }],
  [
    'Delegate bad controller',
    {
      lines: ['Delegate=cpu bogus'],
      get: (v) => v.delegate,
      want: { enabled: true, controllers: ['cpu'] },
      problems: [['bogus', 'ignored']],
    },
  ],

  // capabilities
  ['CBS default is all', { lines: [], versions: [252, 254, 257], get: caps, want: ALL64 }],
  ['CBS default is all (262: CAP_MASK_ALL)', { lines: [], versions: [262], get: caps, want: ALL64 >> 1n }],
  ['CBS list', { lines: ['CapabilityBoundingSet=CAP_KILL cap_chown'], get: caps, want: bits(CAP_KILL, CAP_CHOWN) }],
  [
    'CBS ~ from initial',
    {
      lines: ['CapabilityBoundingSet=~CAP_SYS_ADMIN'],
      versions: [252, 254, 257],
      get: caps,
      want: ALL64 & ~bits(CAP_SYS_ADMIN),
    },
  ],
  [
    'CBS ~ from initial 262 (kernel caps)',
    {
      lines: ['CapabilityBoundingSet=~CAP_SYS_ADMIN'],
      versions: [262],
      get: caps,
      want: ((1n << 41n) - 1n) & ~bits(CAP_SYS_ADMIN),
    },
  ],
  [
    'CBS merge ~',
    {
      lines: ['CapabilityBoundingSet=CAP_KILL CAP_SYS_ADMIN', 'CapabilityBoundingSet=~CAP_SYS_ADMIN'],
      get: caps,
      want: bits(CAP_KILL),
    },
  ],
  [
    'CBS merge add',
    {
      lines: ['CapabilityBoundingSet=CAP_KILL', 'CapabilityBoundingSet=CAP_CHOWN'],
      get: caps,
      want: bits(CAP_KILL, CAP_CHOWN),
    },
  ],
  ['CBS empty = none', { lines: ['CapabilityBoundingSet='], get: caps, want: 0n }],
  [
    'CBS empty then list replaces',
    { lines: ['CapabilityBoundingSet=', 'CapabilityBoundingSet=CAP_KILL'], get: caps, want: bits(CAP_KILL) },
  ],
  ['CBS numbers', { lines: ['CapabilityBoundingSet=21 0x5'], get: caps, want: bits(CAP_SYS_ADMIN, CAP_KILL) }],
  [
    'CBS unknown name skipped',
    {
      lines: ['CapabilityBoundingSet=CAP_BOGUS CAP_NET_ADMIN'],
      get: caps,
      want: bits(CAP_NET_ADMIN),
      problems: [['CAP_BOGUS', 'ignored']],
    },
  ],
  ['Ambient default none', { lines: [], get: (v) => v.ambientCapabilities, want: 0n }],
  [
    'Ambient ~ sets the rest',
    {
      lines: ['AmbientCapabilities=~CAP_KILL'],
      versions: [252],
      get: (v) => v.ambientCapabilities,
      want: ALL64 & ~bits(CAP_KILL),
    },
  ],
  [
    'PrivateDevices drops MKNOD/RAWIO',
    { lines: ['PrivateDevices=yes'], get: (_v, s) => (s.capabilityBoundingSet & bits(27, 17)) === 0n, want: true },
  ],
  [
    'ProtectClock drops SYS_TIME/WAKE_ALARM',
    { lines: ['ProtectClock=yes'], get: (_v, s) => (s.capabilityBoundingSet & bits(25, 35)) === 0n, want: true },
  ],

  // system call filter
  [
    'SCF allow-list starts with @default',
    {
      lines: ['SystemCallFilter=write'],
      get: (v) => [
        v.systemCallFilter.mode,
        v.systemCallFilter.entries.has('write'),
        v.systemCallFilter.entries.has('brk'),
      ],
      want: ['allow', true, true],
    },
  ],
  [
    'SCF deny-list',
    {
      lines: ['SystemCallFilter=~@swap'],
      get: (v) => [v.systemCallFilter.mode, [...v.systemCallFilter.entries.keys()].sort()],
      want: ['deny', ['swapoff', 'swapon']],
    },
  ],
  [
    'SCF first line fixes mode',
    {
      lines: ['SystemCallFilter=~@swap', 'SystemCallFilter=swapon'],
      get: (v) => [v.systemCallFilter.mode, [...v.systemCallFilter.entries.keys()]],
      want: ['deny', ['swapoff']],
    },
  ],
  [
    'SCF allow then ~ removes',
    {
      lines: ['SystemCallFilter=@system-service', 'SystemCallFilter=~@swap'],
      get: (_v, s) => [s.systemCallFilterAllowList, s.systemCallFilter.has('swapon')],
      want: [true, false],
    },
  ],
  [
    'SCF errno in allow-list mode keeps it denied',
    {
      lines: ['SystemCallFilter=@system-service', 'SystemCallFilter=~write:EPERM'],
      get: (v, s) => [v.systemCallFilter.entries.get('write'), s.systemCallFilter.has('write')],
      want: [1, false],
    },
  ],
  [
    'SCF errno on allow line refused',
    {
      lines: ['SystemCallFilter=write:EPERM'],
      get: (v) => v.systemCallFilter.mode,
      want: 'allow',
      problems: [
        [
          'write:EPERM',
          'ignored',
          "An allow-list entry cannot carry an error number (':EPERM'); systemd skips 'write:EPERM'",
        ],
      ],
    },
  ],
  [
    'SCF kill action',
    {
      lines: ['SystemCallFilter=~reboot:kill'],
      get: (v) => v.systemCallFilter.entries.get('reboot'),
      want: 2147483646,
    },
  ],
  [
    'SCF bad errno',
    {
      lines: ['SystemCallFilter=~reboot:EWHAT'],
      get: (v) => v.systemCallFilter.entries.size,
      want: 0,
      problems: [['reboot:EWHAT', 'ignored']],
    },
  ],
  [
    'SCF unknown name',
    {
      lines: ['SystemCallFilter=~frobnicate @swap'],
      get: (v) => v.systemCallFilter.entries.size,
      want: 2,
      problems: [['frobnicate', 'ignored']],
    },
  ],
  [
    'SCF unknown group',
    {
      lines: ['SystemCallFilter=~@nope'],
      get: (v) => v.systemCallFilter.mode,
      want: 'deny',
      problems: [['@nope', 'ignored', 'is not a system call group']],
    },
  ],
  [
    'SCF pseudo name kept silently',
    {
      lines: ['SystemCallFilter=~socketcall'],
      get: (v) => [...v.systemCallFilter.entries.keys()],
      want: ['socketcall'],
    },
  ],
  [
    'SCF @sandbox is 254+',
    {
      lines: ['SystemCallFilter=~@sandbox'],
      versions: [252],
      get: (v) => v.systemCallFilter.entries.size,
      want: 0,
      problems: [['@sandbox', 'ignored']],
    },
  ],
  [
    'SCF empty resets',
    {
      lines: ['SystemCallFilter=~@swap', 'SystemCallFilter='],
      get: (v) => [v.systemCallFilter.mode, v.systemCallFilter.entries.size],
      want: [null, 0],
    },
  ],
  [
    'SCF no unquoting',
    {
      lines: ['SystemCallFilter=~"reboot"'],
      get: (v) => v.systemCallFilter.entries.size,
      want: 0,
      problems: [['"reboot"', 'ignored']],
    },
  ],
  [
    'SystemCallArchitectures',
    {
      lines: ['SystemCallArchitectures=native x86 native'],
      get: (v) => v.systemCallArchitectures,
      want: ['native', 'x86'],
    },
  ],
  [
    'SystemCallArchitectures bad',
    {
      lines: ['SystemCallArchitectures=native amd64'],
      get: (v) => v.systemCallArchitectures,
      want: ['native'],
      problems: [['amd64', 'ignored']],
    },
  ],
  [
    'SystemCallArchitectures loongarch64 from 257',
    {
      lines: ['SystemCallArchitectures=loongarch64'],
      versions: [257, 262],
      get: (v) => v.systemCallArchitectures,
      want: ['loongarch64'],
    },
  ],
  [
    'SystemCallErrorNumber name',
    { lines: ['SystemCallErrorNumber=eperm'], get: (v) => v.systemCallErrorNumber, want: 1 },
  ],
  [
    'SystemCallErrorNumber zero',
    {
      lines: ['SystemCallErrorNumber=0'],
      get: (v) => v.systemCallErrorNumber,
      want: 2147483646,
      problems: [['0', 'ignored', 'An error number must be from 1 to 4095, not 0']],
    },
  ],

  // address families
  [
    'RAF allow-list',
    {
      lines: ['RestrictAddressFamilies=AF_UNIX af_inet'],
      get: (v) => [v.restrictAddressFamilies.allowList, [...v.restrictAddressFamilies.families!]],
      want: [true, [1, 2]],
    },
  ],
  [
    'RAF deny then allow removes',
    {
      lines: ['RestrictAddressFamilies=~AF_INET AF_PACKET', 'RestrictAddressFamilies=AF_INET'],
      get: (v) => [v.restrictAddressFamilies.allowList, [...v.restrictAddressFamilies.families!]],
      want: [false, [17]],
    },
  ],
  [
    'RAF none',
    {
      lines: ['RestrictAddressFamilies=none'],
      get: (_v, s) => [s.restrictAddressFamilyUnix, s.restrictAddressFamilyOther],
      want: [true, true],
    },
  ],
  [
    'RAF none then list',
    {
      lines: ['RestrictAddressFamilies=none', 'RestrictAddressFamilies=AF_UNIX'],
      get: (_v, s) => [s.restrictAddressFamilyUnix, s.restrictAddressFamilyInet],
      want: [false, true],
    },
  ],
  [
    'RAF quirk: AF_INET alone restricts the inet bucket',
    { lines: ['RestrictAddressFamilies=~AF_INET'], get: (_v, s) => s.restrictAddressFamilyInet, want: true },
  ],
  [
    'RAF unknown family skipped (<=257)',
    {
      lines: ['RestrictAddressFamilies=AF_BOGUS AF_UNIX'],
      versions: [252, 254, 257],
      get: (v) => [...v.restrictAddressFamilies.families!],
      want: [1],
      problems: [['AF_BOGUS', 'ignored']],
    },
  ],
  [
    'RAF unknown family ends the line (262)',
    {
      lines: ['RestrictAddressFamilies=AF_UNIX AF_BOGUS AF_INET'],
      versions: [262],
      get: (v) => [...v.restrictAddressFamilies.families!],
      want: [1],
      problems: [['AF_BOGUS', 'ignored', 'rest of the line']],
    },
  ],
  [
    'RAF empty resets',
    {
      lines: ['RestrictAddressFamilies=AF_UNIX', 'RestrictAddressFamilies='],
      get: (v) => v.restrictAddressFamilies,
      want: { allowList: false, families: null },
    },
  ],

  // namespaces
  ['RN yes', { lines: ['RestrictNamespaces=yes'], get: (v) => v.restrictNamespaces, want: 0n }],
  [
    'RN list',
    { lines: ['RestrictNamespaces=net ipc'], get: (v) => v.restrictNamespaces, want: 0x40000000n | 0x08000000n },
  ],
  [
    'RN ~list from initial',
    {
      lines: ['RestrictNamespaces=~user'],
      versions: [252],
      get: (v) => v.restrictNamespaces,
      want: 0x7e020000n & ~0x10000000n,
    },
  ],
  [
    'RN merge',
    {
      lines: ['RestrictNamespaces=net', 'RestrictNamespaces=ipc'],
      get: (v) => v.restrictNamespaces,
      want: 0x48000000n,
    },
  ],
  [
    'RN ~ merge removes',
    {
      lines: ['RestrictNamespaces=net ipc', 'RestrictNamespaces=~net'],
      get: (v) => v.restrictNamespaces,
      want: 0x08000000n,
    },
  ],
  [
    'RN unknown type ignores line',
    {
      lines: ['RestrictNamespaces=net', 'RestrictNamespaces=ipc bogus'],
      get: (v) => v.restrictNamespaces,
      want: 0x40000000n,
      problems: [['bogus', 'ignored']],
    },
  ],
  [
    'RN empty resets',
    { lines: ['RestrictNamespaces=yes', 'RestrictNamespaces='], get: (v) => v.restrictNamespaces, want: ALL64 },
  ],

  // IP addresses
  ['IP any', { lines: ['IPAddressDeny=any'], get: (_v, s) => s.ipAddressDenyAll, want: true }],
  [
    'IP only v4 /0 is not "all"',
    { lines: ['IPAddressDeny=0.0.0.0/0'], get: (_v, s) => s.ipAddressDenyAll, want: false },
  ],
  [
    'IP localhost allow',
    {
      lines: ['IPAddressDeny=any', 'IPAddressAllow=localhost'],
      get: (_v, s) => [s.ipAddressAllowLocalhost, s.ipAddressAllowOther],
      want: [true, false],
    },
  ],
  [
    'IP 127.0.0.1/0 is masked to 0.0.0.0',
    {
      lines: ['IPAddressDeny=any', 'IPAddressAllow=127.0.0.1/0'],
      get: (_v, s) => [s.ipAddressAllowLocalhost, s.ipAddressAllowOther],
      want: [false, true],
    },
  ],
  [
    'IP v6 and prefix',
    {
      lines: ['IPAddressAllow=fe80::1/64 ::1'],
      get: (v) => v.ipAddressAllow.map((p) => [p.family, p.prefixlen]),
      want: [
        [6, 64],
        [6, 128],
      ],
    },
  ],
  [
    'IP bad word',
    {
      lines: ['IPAddressDeny=any 300.1.1.1 10.0.0.0/33'],
      get: (v) => v.ipAddressDeny.length,
      want: 2,
      problems: [
        ['300.1.1.1', 'ignored'],
        ['10.0.0.0/33', 'ignored'],
      ],
    },
  ],
  [
    'IP filter path',
    {
      lines: ['IPIngressFilterPath=/sys/fs/bpf/x', 'IPEgressFilterPath=rel'],
      get: (v) => [v.ipIngressFilterPath, v.ipEgressFilterPath],
      want: [['/sys/fs/bpf/x'], []],
      problems: [
        [
          'rel',
          'ignored',
          "IPEgressFilterPath= takes an absolute path, not 'rel'; systemd ignores this IPEgressFilterPath= line",
        ],
      ],
    },
  ],

  // devices
  [
    'DeviceAllow newest first',
    {
      lines: ['DeviceAllow=/dev/null rw', 'DeviceAllow=char-tty'],
      get: (_v, s) => s.deviceAllow,
      want: ['char-tty:rwm', '/dev/null:rw'],
    },
  ],
  [
    'DeviceAllow bad rights',
    { lines: ['DeviceAllow=/dev/null rwx'], get: (v) => v.deviceAllow.length, want: 0, problems: [['rwx', 'ignored']] },
  ],
  [
    'DeviceAllow not a device path',
    { lines: ['DeviceAllow=/tmp/x'], get: (v) => v.deviceAllow.length, want: 0, problems: [['/tmp/x', 'ignored']] },
  ],
  [
    'PrivateDevices closes auto policy',
    { lines: ['PrivateDevices=yes'], get: (_v, s) => s.devicePolicy, want: 'closed' },
  ],
  [
    'ProtectClock adds char-rtc under a policy',
    { lines: ['DevicePolicy=closed', 'ProtectClock=yes'], get: (_v, s) => s.deviceAllow, want: ['char-rtc:r'] },
  ],
  ['ProtectClock adds nothing under auto', { lines: ['ProtectClock=yes'], get: (_v, s) => s.deviceAllow, want: [] }],
  [
    'RootImage adds loop devices',
    {
      lines: ['DevicePolicy=strict', 'RootImage=/x.img'],
      get: (_v, s) => s.deviceAllow,
      want: [
        'block-device-mapper:rwm',
        'block-blkext:rwm',
        'block-loop:rwm',
        '/dev/mapper/control:rw',
        '/dev/loop-control:rw',
      ],
    },
  ],
  [
    'encrypted credential: TPM (252)',
    {
      lines: ['DevicePolicy=closed', 'LoadCredentialEncrypted=k:/etc/k'],
      versions: [252],
      get: (_v, s) => s.deviceAllow,
      want: ['/dev/tpmrm0:rw'],
    },
  ],
  [
    'encrypted credential: TPM (254-257)',
    {
      lines: ['DevicePolicy=closed', 'LoadCredentialEncrypted=k:/etc/k'],
      versions: [254, 257],
      get: (_v, s) => s.deviceAllow,
      want: ['char-tpm:rw'],
    },
  ],
  [
    'encrypted credential: nothing at load (262)',
    {
      lines: ['DevicePolicy=closed', 'LoadCredentialEncrypted=k:/etc/k'],
      versions: [262],
      get: (_v, s) => s.deviceAllow,
      want: [],
    },
  ],
  [
    'bad Base64 credential ignored',
    {
      lines: ['DevicePolicy=closed', 'SetCredentialEncrypted=k:abc'],
      get: (_v, s) => s.deviceAllow,
      want: [],
      problems: [['abc', 'ignored', 'Base64']],
    },
  ],

  // UMask
  ['UMask', { lines: ['UMask=0077'], get: (v) => v.umask, want: 0o77 }],
  ['UMask default', { lines: [], get: (v) => v.umask, want: 0o22 }],
  ['UMask bad', { lines: ['UMask=0027', 'UMask=8'], get: (v) => v.umask, want: 0o27, problems: [['8', 'ignored']] }],
  ['UMask sign refused', { lines: ['UMask=+022'], get: (v) => v.umask, want: 0o22, problems: [['+022', 'ignored']] }],

  // users
  ['User static', { lines: ['User=www-data'], get: (_v, s) => s.user, want: 'www-data' }],
  ['User empty unsets', { lines: ['User=foo', 'User='], get: (_v, s) => s.user, want: null }],
  ['User non-strict name accepted', { lines: ['User=Café'], get: (_v, s) => s.user, want: 'Café' }],
  ['User numeric', { lines: ['User=1000'], get: (_v, s) => s.user, want: '1000' }],
  [
    'User 65535 refused',
    { lines: ['User=65535'], get: (_v, s) => s.refused?.code, want: 'fatal-setting', problems: [['65535', 'fatal']] },
  ],
  [
    'User with colon refused',
    {
      lines: ['User=a:b'],
      get: (_v, s) => s.refused?.code,
      want: 'fatal-setting',
      problems: [
        [
          'a:b',
          'fatal',
          "'a:b' is not a valid user or group name or numeric ID (contains ':' or '/'); systemd refuses to load the unit",
        ],
      ],
    },
  ],
  [
    'User unknown specifier refused',
    {
      lines: ['User=%Z'],
      get: (_v, s) => s.refused?.code,
      want: 'fatal-setting',
      problems: [
        ['%Z', 'fatal', "%Z in '%Z' is not a specifier (write %% for a literal %); systemd refuses to load the unit"],
      ],
    },
  ],
  [
    'User=%i in a template (252: instance i)',
    { lines: ['User=%i'], name: 'svc@.service', versions: [252, 254], get: (_v, s) => s.user, want: 'i' },
  ],
  [
    'User=%i in a template (257+: test_instance)',
    { lines: ['User=%i'], name: 'svc@.service', versions: [257, 262], get: (_v, s) => s.user, want: 'test_instance' },
  ],
  [
    'User=%i outside a template expands to nothing: refused',
    {
      lines: ['User=%i'],
      get: (_v, s) => s.refused?.code,
      want: 'fatal-setting',
      problems: [['%i', 'fatal', 'empty name']],
    },
  ],
  [
    'User=%p and %j',
    {
      lines: ['User=%p', 'Group=%j'],
      name: 'web-front@blue.service',
      get: (v) => [v.user, v.group],
      want: ['web-front', 'front'],
    },
  ],
  ['User=%I unescapes', { lines: ['User=%I'], name: 'svc@a\\x2db.service', get: (v) => v.user, want: 'a-b' }],
  ['User=%u is root', { lines: ['User=%u'], get: (v) => v.user, want: 'root' }],
  [
    'DynamicUser picks the unit name',
    {
      lines: ['DynamicUser=yes'],
      name: 'webapp.service',
      get: (_v, s) => [
        s.user,
        s.privateTmp,
        s.removeIPC,
        s.protectSystem,
        s.protectHome,
        s.noNewPrivileges,
        s.restrictSUIDSGID,
      ],
      want: ['webapp', true, true, 'strict', 'read-only', true, true],
    },
  ],
  [
    'DynamicUser keeps ProtectHome=tmpfs',
    { lines: ['DynamicUser=yes', 'ProtectHome=tmpfs'], get: (_v, s) => s.protectHome, want: 'tmpfs' },
  ],
  [
    'SupplementaryGroups',
    {
      lines: ['SupplementaryGroups=a b', 'SupplementaryGroups=c'],
      get: (v) => v.supplementaryGroups,
      want: ['a', 'b', 'c'],
    },
  ],
  [
    'SupplementaryGroups reset',
    { lines: ['SupplementaryGroups=a', 'SupplementaryGroups='], get: (v) => v.supplementaryGroups, want: [] },
  ],
  [
    'SupplementaryGroups bad name is fatal',
    {
      lines: ['SupplementaryGroups=ok b/ad'],
      get: (_v, s) => s.refused?.code,
      want: 'fatal-setting',
      problems: [['b/ad', 'fatal']],
    },
  ],

  // paths
  ['RootDirectory', { lines: ['RootDirectory=/srv//root/'], get: (v) => v.rootDirectory, want: '/srv/root' }],
  [
    'RootDirectory relative is fatal',
    {
      lines: ['RootDirectory=srv'],
      get: (_v, s) => s.refused?.code,
      want: 'fatal-setting',
      problems: [
        ['srv', 'fatal', "RootDirectory= takes an absolute path, not 'srv'; systemd refuses to load the unit"],
      ],
    },
  ],
  [
    'RootDirectory .. is fatal',
    {
      lines: ['RootDirectory=/srv/../x'],
      get: (_v, s) => s.refused?.code,
      want: 'fatal-setting',
      problems: [['/srv/../x', 'fatal']],
    },
  ],
  [
    'RootDirectory specifier',
    {
      lines: ['RootDirectory=/srv/%i'],
      name: 'c@.service',
      versions: [252],
      get: (v) => v.rootDirectory,
      want: '/srv/i',
    },
  ],
  [
    'ReadWritePaths prefixes',
    {
      lines: ['ReadWritePaths=-/var/lib/x +/data "/with space"'],
      get: (v) => v.namespacePaths.ReadWritePaths,
      want: [
        { path: '/var/lib/x', ignoreMissing: true, underRoot: false },
        { path: '/data', ignoreMissing: false, underRoot: true },
        { path: '/with space', ignoreMissing: false, underRoot: false },
      ],
    },
  ],
  [
    'InaccessiblePaths relative skipped',
    {
      lines: ['InaccessiblePaths=/a rel'],
      get: (v) => v.namespacePaths.InaccessiblePaths!.map((p) => p.path),
      want: ['/a'],
      problems: [['rel', 'ignored']],
    },
  ],

  // Exec
  [
    'ExecStart relative path is fatal',
    {
      raw: '[Service]\nExecStart=bin/true\n',
      lines: [],
      get: (_v, s) => s.refused?.code,
      want: 'fatal-setting',
      problems: [
        [
          'bin/true',
          'fatal',
          "'bin/true' is neither an absolute path nor a plain program name; systemd refuses to load the unit",
        ],
      ],
    },
  ],
  [
    'ExecStart relative with - is skipped',
    {
      raw: '[Service]\nExecStart=/bin/true\nExecStartPre=-bin/x\n',
      lines: [],
      get: (v, s) => [v.exec.ExecStartPre.length, s.refused],
      want: [0, null],
      problems: [['-bin/x', 'ignored']],
    },
  ],
  [
    'ExecStart plain name',
    {
      raw: '[Service]\nExecStart=true --x "a b"\n',
      lines: [],
      get: (v) => v.exec.ExecStart.map((c) => [c.path, c.argv]),
      want: [['true', ['true', '--x', 'a b']]],
    },
  ],
  [
    'ExecStart prefixes and ;',
    {
      raw: '[Service]\nType=oneshot\nExecStart=-+@/bin/sh sh -c x ; /bin/true\n',
      lines: [],
      get: (v) => v.exec.ExecStart.map((c) => [c.path, c.ignoreFailure, c.fullyPrivileged, c.argv]),
      want: [
        ['/bin/sh', true, true, ['sh', '-c', 'x']],
        ['/bin/true', false, false, ['/bin/true']],
      ],
    },
  ],
  [
    'two ExecStart= need Type=oneshot',
    {
      raw: '[Service]\nExecStart=/bin/true\nExecStart=/bin/false\n',
      lines: [],
      get: (_v, s) => s.refused?.code,
      want: 'service-verify',
    },
  ],
  [
    'no ExecStart refused',
    {
      raw: '[Service]\nUser=x\n',
      lines: [],
      get: (_v, s) => s.refused?.reason,
      want: 'x.service: the service has no ExecStart=, ExecStop= or SuccessAction=, so systemd refuses to load it',
    },
  ],
  ['empty file is masked', { raw: '', lines: [], get: (_v, s) => s.refused?.code, want: 'masked' }],
  [
    'broken section header refused',
    { raw: '[Service\nExecStart=/bin/true\n', lines: [], get: (_v, s) => s.refused?.code, want: 'syntax' },
  ],
];

function run(row: Row, version: V): { tv: TypedValues; si: SecurityInputs; problems: ValueProblem[]; text: string } {
  const text = row.raw ?? `[Service]\nExecStart=/bin/true\n${row.lines.map((l) => l + '\n').join('')}`;
  const name = row.name ?? 'x.service';
  const model = buildUnit(
    name.includes('@.') ? name.replace('@.', version >= 257 ? '@test_instance.' : '@i.') : name,
    [{ path: `/etc/systemd/system/${name}`, text }],
    { version },
  );
  const tv = typedValues(model);
  return { tv: tv.value, si: securityInputs(model), problems: tv.problems, text };
}

for (const [title, row] of ROWS) {
  test(`values: ${title}`, () => {
    for (const version of row.versions ?? VERSIONS) {
      const { tv, si, problems, text } = run(row, version);
      assert.deepEqual(row.get(tv, si), row.want, `${title} [${version}]`);
      const got = problems.map((p) => [text.slice(p.span.start, p.span.end), p.effect, p.message] as const);
      const want = row.problems ?? [];
      assert.equal(got.length, want.length, `${title} [${version}]: problems ${JSON.stringify(got)}`);
      want.forEach(([span, effect, msg], i) => {
        assert.equal(got[i]![0], span, `${title} [${version}]: span of problem ${i}`);
        assert.equal(got[i]![1], effect, `${title} [${version}]: effect of problem ${i}`);
        if (msg) assert.ok(got[i]![2].includes(msg), `${title} [${version}]: message '${got[i]![2]}' lacks '${msg}'`);
      });
    }
  });
}

test('values: a problem inside a continued value points at the right source characters', () => {
  const text = '[Service]\nExecStart=/bin/true\nRestrictAddressFamilies=AF_UNIX \\\n  AF_BOGUS\n';
  const model = buildUnit('x.service', [{ path: '/x.service', text }], { version: 252 });
  const [p] = valueProblems(model);
  assert.equal(text.slice(p!.span.start, p!.span.end), 'AF_BOGUS');
});

test('values: a fatal line in a drop-in stops that drop-in only', () => {
  const model = buildUnit(
    'x.service',
    [
      { path: '/lib/systemd/system/x.service', text: '[Service]\nExecStart=/bin/true\n' },
      {
        path: '/etc/systemd/system/x.service.d/a.conf',
        text: '[Service]\nPrivateTmp=yes\nUser=a:b\nPrivateNetwork=yes\n',
      },
    ],
    { version: 252 },
  );
  const s = securityInputs(model);
  assert.equal(s.refused, null);
  assert.deepEqual([s.privateTmp, s.privateNetwork, s.user], [true, false, null]);
  assert.equal(s.problems.length, 1);
  assert.equal(s.problems[0]!.effect, 'ignored');
  assert.match(s.problems[0]!.message, /rest of this drop-in/);
});

test('values: extract_first_word', () => {
  const w = (s: string, f: number) => splitWords(s, f);
  assert.deepEqual(
    w(`a "b c" d\\ e`, EXTRACT_UNQUOTE).words.map((x) => x.word),
    ['a', 'b c', 'd e'],
  );
  assert.deepEqual(
    w(`a\\x41 '\\n'`, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE).words.map((x) => x.word),
    ['aA', '\n'],
  );
  assert.deepEqual(w(`"unbalanced`, EXTRACT_UNQUOTE).error, { at: 11, start: 0 });
  assert.deepEqual(
    w(`  x  y`, 0).words.map((x) => [x.start, x.end]),
    [
      [2, 3],
      [5, 6],
    ],
  );
  assert.deepEqual(
    w(`"q"`, 0).words.map((x) => x.word),
    ['"q"'],
  );
});

test('values: specifiers', () => {
  const ctx = { unitName: 'getty@tty1.service', version: 252 };
  const p = (s: string) => {
    const r = unitPrintf(s, ctx);
    return r.ok ? r.value : r.error;
  };
  assert.equal(p('%n %N %p %i %I %j %f'), 'getty@tty1.service getty@tty1 getty tty1 tty1 getty /tty1');
  assert.equal(p('100%% %'), '100% %');
  assert.equal(p('%Z'), 'unknown-specifier');
  assert.equal(p('%!'), '%!');
  assert.equal(p('%t/%S/%C/%L/%E'), '/run//var/lib//var/cache//var/log//etc');
});
