/**
 * Completion, data-driven: a unit text with a `|` cursor marker → expected labels, insert texts,
 * replaced text and predicted exposures. Also: every predicted exposure agrees with the engine
 * scoring the edited text from scratch; the dedupe classes never change a number; random input
 * never throws and every replace span holds the cursor.
 */
import assert from 'node:assert/strict';
import { rng } from '../fuzz/fuzz';
import { test } from 'node:test';
import { score } from '../../server/src/exposure';
import { complete, type CompletionEntry, mayMatch } from '../../server/src/features/completion';
import type { FeatureContext } from '../../server/src/features/cursor-context';
import { buildUnit } from '../../server/src/model/build';
import { PROFILES, snippetBody } from '../../server/src/features/profiles';

type Version = 252 | 254 | 257 | 262;

interface Source {
  path: string;
  text: string;
}

/** Files of a case: one string (the unit file) or several; the one holding `|` has the cursor. */
function ctxOf(
  files: string | Source[],
  name = 'app.service',
  version: Version = 257,
): { ctx: FeatureContext; text: string } {
  const list: Source[] = typeof files === 'string' ? [{ path: `/etc/systemd/system/${name}`, text: files }] : files;
  const fileIndex = list.findIndex((f) => f.text.includes('|'));
  assert.ok(fileIndex >= 0, 'a case needs a | cursor marker');
  const marked = list[fileIndex]!.text;
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const out = list.map((f, i) => (i === fileIndex ? { path: f.path, text } : f));
  return { ctx: { name, files: out, fileIndex, offset, version }, text };
}

/** The text an entry puts in (first choice / placeholder of a snippet). */
function insertedText(e: CompletionEntry): string {
  const raw = e.insertText ?? e.label;
  if (!e.isSnippet) return raw;
  return raw
    .replace(/\$\{\d+\|((?:\\.|[^|\\])*?)(?:,(?:\\.|[^|\\])*)*\|\}/g, (_, first: string) => first)
    .replace(/\$\{\d+:((?:\\.|[^}\\])*)\}/g, (_, x: string) => x)
    .replace(/\$\d+/g, '')
    .replace(/\\(.)/g, '$1');
}

function apply(text: string, e: CompletionEntry): string {
  return text.slice(0, e.replace.start) + insertedText(e) + text.slice(e.replace.end);
}

const EXPOSURE_RE = /^\d+\.\d → \d+\.\d$/;

/** Invariants every completion list keeps. */
function checkInvariants(ctx: FeatureContext, entries: CompletionEntry[]): void {
  const text = ctx.files[ctx.fileIndex]!.text;
  const labels = new Set<string>();
  for (const e of entries) {
    assert.ok(
      e.replace.start <= ctx.offset && ctx.offset <= e.replace.end,
      `replace span of ${e.label} holds the cursor`,
    );
    assert.ok(e.replace.start >= 0 && e.replace.end <= text.length);
    assert.ok(!/[\r\n]/.test(text.slice(e.replace.start, e.replace.end)), `replace span of ${e.label} is on one line`);
    assert.ok(!labels.has(e.label), `label ${e.label} appears once`);
    labels.add(e.label);
    if (e.exposureAfter !== undefined) assert.match(e.exposureAfter, EXPOSURE_RE);
    assert.ok(e.label.length > 0);
  }
}

interface Case {
  name: string;
  files: string | Source[];
  unit?: string;
  version?: Version;
  /** Labels that must be offered. */
  includes?: string[];
  /** Labels that must not be offered. */
  excludes?: string[];
  /** Exactly these labels, in any order. */
  exactly?: string[];
  /** label → insertText. */
  insert?: Record<string, string>;
  /** The text the entries replace. */
  replaced?: string;
  /** label → exposureAfter ("" = none). */
  exposure?: Record<string, string>;
  /** label → sortText prefix (rank). */
  rank?: Record<string, string>;
  deprecated?: string[];
  /** The label preselected (the most protective value); null: none is. */
  preselect?: string | null;
  /** label → what its detail must say. */
  detail?: Record<string, RegExp>;
}

const SVC = '[Unit]\nDescription=demo\n[Service]\nExecStart=/usr/bin/demo\n';
const WEB = '[Unit]\nDescription=web\nAfter=network.target\n[Service]\nExecStart=/usr/bin/web\n';
const NGINX =
  "[Unit]\nDescription=nginx\nAfter=network.target\n[Service]\nType=forking\nExecStart=/usr/sbin/nginx -g 'daemon on; master_process on;'\n";
const PROFILE_LABELS = PROFILES.map((p) => `harden-${p.id}`);

const CASES: Case[] = [
  // Sections
  {
    name: 'sections at [ (service)',
    files: '[|',
    exactly: ['Unit', 'Service', 'Install'],
    insert: { Service: '[Service]' },
    replaced: '[',
  },
  { name: 'sections at [ (timer)', files: '[|', unit: 'backup.timer', exactly: ['Unit', 'Timer', 'Install'] },
  {
    name: 'sections inside a header',
    files: '[Se|rvice]\n',
    exactly: ['Unit', 'Service', 'Install'],
    replaced: '[Service]',
  },
  {
    name: 'sections in an empty file (and the hardening profiles, with their header)',
    files: '|',
    exactly: ['Unit', 'Service', 'Install', ...PROFILE_LABELS],
    replaced: '',
  },
  {
    name: 'sections before any header',
    files: 'Prot|\n[Service]\n',
    exactly: ['Unit', 'Service', 'Install'],
    replaced: 'Prot',
  },
  { name: 'sections of a socket', files: '[Unit]\n[|', unit: 'web.socket', exactly: ['Unit', 'Socket', 'Install'] },
  { name: 'a section already present ranks lower', files: '[Unit]\n[|', rank: { Unit: '1', Service: '0' } },

  // Directive names
  {
    name: 'directives of [Service] (252)',
    files: SVC + 'Prot|',
    version: 252,
    includes: ['ProtectSystem', 'ProtectHome', 'ProtectClock', 'ProtectKernelLogs', 'Type', 'ExecStart', 'CPUWeight'],
    excludes: ['PrivatePIDs', 'Description', 'WantedBy', 'OnCalendar'],
    replaced: 'Prot',
  },
  { name: 'PrivatePIDs from 257', files: SVC + 'Priv|', version: 257, includes: ['PrivatePIDs', 'PrivateTmp'] },
  {
    name: 'directives of [Unit]',
    files: '[Unit]\nDesc|',
    includes: ['Description', 'After', 'Wants', 'DefaultDependencies'],
    excludes: ['ProtectSystem'],
  },
  {
    name: 'directives of [Install]',
    files: SVC + '[Install]\n|',
    exactly: undefined,
    includes: ['WantedBy', 'Alias', 'Also', 'RequiredBy'],
    excludes: ['ExecStart'],
  },
  {
    name: 'directives of [Timer]',
    files: '[Timer]\nOn|',
    unit: 'x.timer',
    includes: ['OnCalendar', 'OnBootSec', 'Persistent'],
    excludes: ['ExecStart'],
  },
  { name: 'no directives in an unknown section', files: SVC + '[Foo]\n|', exactly: [] },
  { name: 'no directives in an X- section', files: SVC + '[X-Vendor]\n|', exactly: [] },
  {
    name: 'insert texts: Name= or a choice of the best value first',
    files: SVC + '|',
    insert: {
      ExecStartPre: 'ExecStartPre=',
      ProtectSystem: 'ProtectSystem=${1|strict,no,yes,full|}',
      NoNewPrivileges: 'NoNewPrivileges=${1|yes,no|}',
      SystemCallFilter: 'SystemCallFilter=${1:@system-service}',
      UMask: 'UMask=${1:0077}',
      CapabilityBoundingSet: 'CapabilityBoundingSet=',
    },
    excludes: ['Description', 'WantedBy'],
  },
  {
    name: 'renaming a key keeps the value',
    files: SVC + 'Protect|System=full\n',
    insert: { ProtectHome: 'ProtectHome' },
    replaced: 'ProtectSystem',
    exposure: { ProtectHome: '' },
  },
  {
    name: 'deprecated directives are marked (262)',
    files: SVC + 'CPU|',
    version: 262,
    deprecated: ['CPUShares', 'MemoryLimit'],
    rank: { CPUShares: '3', CPUWeight: '1' },
  },
  {
    name: 'not deprecated yet in 252',
    files: SVC + 'CPU|',
    version: 252,
    includes: ['CPUShares'],
    rank: { CPUShares: '1' },
  },
  {
    name: 'long-deprecated keys are marked in every version',
    files: SVC + '|',
    version: 252,
    deprecated: ['Capabilities', 'SysVStartPriority'],
  },
  {
    name: 'a single-valued setting already set here ranks lower; lists do not',
    files: SVC + 'ProtectSystem=full\nReadWritePaths=/var/lib/demo\n|',
    rank: { ProtectSystem: '2', ReadWritePaths: '1', ProtectHome: '0' },
  },
  {
    name: 'directive names predict the exposure of their inserted value',
    files: SVC + 'User=demo\n|',
    version: 252,
    exposure: { ProtectSystem: '9.2 → 9.0', NoNewPrivileges: '9.2 → 9.0', Type: '', ExecStartPre: '' },
  },

  // Values: booleans and enums per version
  { name: 'boolean', files: SVC + 'NoNewPrivileges=|', exactly: ['yes', 'no'] },
  { name: 'PrivateTmp (252)', files: SVC + 'PrivateTmp=|', version: 252, exactly: ['yes', 'no'] },
  {
    name: 'PrivateTmp (257)',
    files: SVC + 'PrivateTmp=|',
    version: 257,
    exactly: ['yes', 'no', 'connected', 'disconnected'],
  },
  {
    name: 'ProtectSystem modes, strict preselected',
    files: SVC + 'ProtectSystem=|',
    exactly: ['no', 'yes', 'full', 'strict'],
    preselect: 'strict',
  },
  {
    name: 'enum values keep the order of the data',
    files: SVC + 'ProtectHome=|',
    rank: { no: '0', tmpfs: '0' },
    preselect: 'yes',
  },
  { name: 'ProtectHome modes', files: SVC + 'ProtectHome=|', exactly: ['no', 'yes', 'read-only', 'tmpfs'] },
  { name: 'ProtectHostname (257)', files: SVC + 'ProtectHostname=|', version: 257, exactly: ['yes', 'no'] },
  { name: 'ProtectHostname (262)', files: SVC + 'ProtectHostname=|', version: 262, exactly: ['yes', 'no', 'private'] },
  { name: 'ProtectControlGroups (254)', files: SVC + 'ProtectControlGroups=|', version: 254, exactly: ['yes', 'no'] },
  {
    name: 'ProtectControlGroups (257)',
    files: SVC + 'ProtectControlGroups=|',
    version: 257,
    exactly: ['yes', 'no', 'private', 'strict'],
  },
  {
    name: 'PrivateUsers (262)',
    files: SVC + 'PrivateUsers=|',
    version: 262,
    exactly: ['yes', 'no', 'self', 'identity', 'full', 'managed'],
  },
  {
    name: 'Type (252)',
    files: SVC + 'Type=|',
    version: 252,
    includes: ['simple', 'exec', 'notify', 'oneshot'],
    excludes: ['notify-reload'],
  },
  { name: 'Type (254)', files: SVC + 'Type=|', version: 254, includes: ['notify-reload'], exposure: { simple: '' } },
  { name: 'Type= in [Mount] is a file system type', files: '[Mount]\nType=|', unit: 'data.mount', exactly: [] },
  { name: 'DevicePolicy', files: SVC + 'DevicePolicy=|', exactly: ['auto', 'closed', 'strict'] },
  { name: 'KeyringMode', files: SVC + 'KeyringMode=|', exactly: ['inherit', 'private', 'shared'] },
  { name: 'NotifyAccess', files: SVC + 'NotifyAccess=|', exactly: ['none', 'main', 'exec', 'all'] },
  { name: 'ProtectProc', files: SVC + 'ProtectProc=|', exactly: ['default', 'noaccess', 'invisible', 'ptraceable'] },
  { name: 'ProcSubset', files: SVC + 'ProcSubset=|', exactly: ['all', 'pid'] },
  { name: 'UMask suggestions', files: SVC + 'UMask=|', exactly: ['0077', '0027', '0022', '0002'] },
  { name: 'UMask, second word: nothing', files: SVC + 'UMask=0077 |', exactly: [] },
  {
    name: 'a partly typed enum value is replaced whole',
    files: SVC + 'ProtectSystem=st|ri',
    replaced: 'stri',
    includes: ['strict'],
  },
  {
    name: 'StandardOutput prefix forms',
    files: SVC + 'StandardOutput=|',
    includes: ['journal', 'file:', 'append:', 'null'],
  },
  {
    name: 'IP address keywords',
    files: SVC + 'IPAddressDeny=|',
    exactly: ['any', 'localhost', 'link-local', 'multicast'],
  },
  {
    name: 'SecureBits words from our docs',
    files: SVC + 'SecureBits=keep-caps |',
    includes: ['noroot', 'noroot-locked', 'no-setuid-fixup'],
  },
  {
    name: 'Delegate: booleans and controllers',
    files: SVC + 'Delegate=|',
    includes: ['yes', 'no', 'cpu', 'memory', 'pids'],
  },

  // Values that cut the service off are never preselected: they sort last and say why (a web server:
  // ordered after network.target; nginx is a known service that switches user).
  {
    name: 'PrivateNetwork= on a web server: yes not preselected, last, with the reason',
    files: WEB + 'PrivateNetwork=|',
    rank: { yes: '9', no: '0' },
    preselect: null,
    detail: { yes: /^may break the service: the service uses the network: it orders itself after network\.target/ },
  },
  {
    name: 'PrivateNetwork= on a service without network: yes preselected',
    files: SVC + 'PrivateNetwork=|',
    rank: { yes: '0' },
    preselect: 'yes',
  },
  {
    name: 'RestrictAddressFamilies= on a web server: none last, the IP families first',
    files: WEB + 'RestrictAddressFamilies=|',
    rank: { none: '9', AF_INET: '0', AF_INET6: '0' },
    preselect: null,
    detail: { none: /^may break the service: the service uses the network .*none leaves out AF_INET and AF_INET6/ },
  },
  {
    name: 'RestrictAddressFamilies= without network use: none is not held back',
    files: SVC + 'RestrictAddressFamilies=|',
    rank: { none: '0' },
  },
  {
    name: 'IPAddressDeny= on a web server: any not preselected, localhost stays',
    files: WEB + 'IPAddressDeny=|',
    rank: { any: '9', localhost: '0' },
    preselect: null,
  },
  {
    name: 'SystemCallFilter= allow-list: @system-service preselected',
    files: SVC + 'SystemCallFilter=|',
    preselect: '@system-service',
  },
  {
    name: 'SystemCallFilter=~ deny-list: nothing preselected (denying @system-service kills the service)',
    files: SVC + 'SystemCallFilter=~|',
    preselect: null,
  },
  {
    name: 'SystemCallFilter=~ on nginx: @privileged last (its switch to www-data)',
    files: NGINX + 'SystemCallFilter=~|',
    unit: 'nginx.service',
    rank: { '@privileged': '9', '@debug': '0' },
    detail: { '@privileged': /^may break the service: nginx calls .*setuid/ },
  },

  // Capabilities
  {
    name: 'capabilities',
    files: SVC + 'CapabilityBoundingSet=|',
    includes: ['CAP_SYS_ADMIN', 'CAP_NET_BIND_SERVICE', 'CAP_CHECKPOINT_RESTORE'],
  },
  {
    name: 'capabilities after ~ and another word',
    files: SVC + 'CapabilityBoundingSet=~CAP_SYS_ADMIN CAP_|',
    includes: ['CAP_SYS_PTRACE', 'CAP_NET_RAW'],
    replaced: 'CAP_',
  },
  {
    name: 'capabilities right after ~',
    files: SVC + 'CapabilityBoundingSet=~|',
    includes: ['CAP_SYS_ADMIN'],
    replaced: '',
  },
  {
    name: 'capabilities on a continuation line',
    files: SVC + 'AmbientCapabilities=CAP_NET_RAW \\\n  CAP_NET_B|',
    includes: ['CAP_NET_BIND_SERVICE'],
    replaced: 'CAP_NET_B',
  },
  { name: 'nothing before the ~', files: SVC + 'CapabilityBoundingSet=|~CAP_SYS_ADMIN', exactly: [] },

  // System calls
  {
    name: 'system-call groups and calls',
    files: SVC + 'SystemCallFilter=|',
    includes: ['@system-service', '@clock', '@privileged', '@default', 'read', 'write', 'openat'],
  },
  { name: '@sandbox not in 252', files: SVC + 'SystemCallFilter=@|', version: 252, excludes: ['@sandbox'] },
  { name: '@sandbox from 254', files: SVC + 'SystemCallFilter=@|', version: 254, includes: ['@sandbox'] },
  { name: 'groups after ~', files: SVC + 'SystemCallFilter=~@mount @cl|', includes: ['@clock'], replaced: '@cl' },
  {
    name: 'errno after :',
    files: SVC + 'SystemCallFilter=~read:EP|',
    includes: ['EPERM', 'EACCES', 'kill'],
    excludes: ['read', '@clock'],
    replaced: 'EP',
  },
  {
    name: 'SystemCallLog takes names, no exposure',
    files: SVC + 'SystemCallLog=|',
    includes: ['@clock'],
    exposure: { '@clock': '' },
  },
  {
    name: 'SystemCallErrorNumber',
    files: SVC + 'SystemCallErrorNumber=|',
    includes: ['EPERM', 'EACCES', 'ENOSYS', 'kill'],
  },
  {
    name: 'SystemCallArchitectures (252)',
    files: SVC + 'SystemCallArchitectures=|',
    version: 252,
    includes: ['native', 'x86', 'x86-64', 'arm64'],
    excludes: ['loongarch64'],
  },
  {
    name: 'SystemCallArchitectures (257)',
    files: SVC + 'SystemCallArchitectures=|',
    version: 257,
    includes: ['loongarch64'],
  },

  // Address families and namespaces
  {
    name: 'address families with none',
    files: SVC + 'RestrictAddressFamilies=|',
    includes: ['none', 'AF_UNIX', 'AF_INET', 'AF_INET6', 'AF_NETLINK', 'AF_PACKET', 'AF_VSOCK'],
  },
  {
    name: 'none only as the whole value',
    files: SVC + 'RestrictAddressFamilies=AF_UNIX |',
    includes: ['AF_INET'],
    excludes: ['none'],
  },
  { name: 'none not after ~', files: SVC + 'RestrictAddressFamilies=~|', includes: ['AF_PACKET'], excludes: ['none'] },
  {
    name: 'namespaces with yes/no',
    files: SVC + 'RestrictNamespaces=|',
    exactly: ['yes', 'no', 'cgroup', 'ipc', 'net', 'mnt', 'pid', 'user', 'uts', 'time'],
  },
  {
    name: 'namespaces after ~',
    files: SVC + 'RestrictNamespaces=~user |',
    exactly: ['cgroup', 'ipc', 'net', 'mnt', 'pid', 'user', 'uts', 'time'],
  },

  // Where nothing is offered
  { name: 'in a comment', files: SVC + '# Prot|', exactly: [] },
  { name: 'free-form value', files: SVC + 'Description=|', exactly: [] },
  { name: 'ExecStart value', files: SVC + 'ExecStartPre=/usr/bin/|', exactly: [] },
  { name: 'a key unknown to the version', files: SVC + 'PrivatePIDs=|', version: 252, exactly: [] },

  // Predicted exposure
  {
    name: 'ProtectSystem= values with exposure (252)',
    files: SVC + 'User=demo\nProtectSystem=|',
    version: 252,
    exposure: { no: '9.2 → 9.2', yes: '9.2 → 9.1', full: '9.2 → 9.1', strict: '9.2 → 9.0' },
  },
  {
    name: 'exposure before = the unit without the word being typed',
    files: SVC + 'User=demo\nProtectSystem=full\nProtectSystem=st|',
    version: 252,
    // 'no' does not match the typed 'st', so the editor hides it and nothing is computed for it.
    exposure: { strict: '9.1 → 9.0', no: '' },
  },
  {
    name: 'a later line still wins',
    files: SVC + 'User=demo\nProtectSystem=|\nProtectSystem=full\n',
    version: 252,
    exposure: { strict: '9.1 → 9.1', no: '9.1 → 9.1' },
  },
  {
    name: 'drop-in: the unit file sets the baseline',
    unit: 'web.service',
    files: [
      { path: '/etc/systemd/system/web.service', text: SVC + 'User=web\nProtectSystem=full\n' },
      { path: '/etc/systemd/system/web.service.d/override.conf', text: '[Service]\nProtectSystem=|\n' },
    ],
    version: 252,
    exposure: { strict: '9.1 → 9.0', yes: '9.1 → 9.1' },
  },
  { name: 'no exposure for settings no check reads', files: SVC + 'Restart=|', exposure: { always: '' } },
];

for (const c of CASES) {
  test(`completion: ${c.name}`, () => {
    const { ctx } = ctxOf(c.files, c.unit, c.version);
    const entries = complete(ctx);
    checkInvariants(ctx, entries);
    const byLabel = new Map(entries.map((e) => [e.label, e]));
    const labels = entries.map((e) => e.label);
    for (const l of c.includes ?? []) assert.ok(byLabel.has(l), `offers ${l}; got ${labels.slice(0, 40).join(' ')}`);
    for (const l of c.excludes ?? []) {
      if (c.insert && l in c.insert) continue;
      assert.ok(!byLabel.has(l), `does not offer ${l}`);
    }
    if (c.exactly) assert.deepEqual([...labels].sort(), [...c.exactly].sort());
    for (const [l, text] of Object.entries(c.insert ?? {}))
      assert.equal(byLabel.get(l)?.insertText ?? byLabel.get(l)?.label, text, `insert text of ${l}`);
    if (c.replaced !== undefined && entries.length) {
      const text = ctx.files[ctx.fileIndex]!.text;
      for (const e of entries) assert.equal(text.slice(e.replace.start, e.replace.end), c.replaced);
    }
    for (const [l, x] of Object.entries(c.exposure ?? {})) {
      assert.ok(byLabel.has(l), `offers ${l}`);
      assert.equal(byLabel.get(l)!.exposureAfter ?? '', x, `exposure after ${l}`);
    }
    for (const [l, r] of Object.entries(c.rank ?? {})) assert.equal(byLabel.get(l)?.sortText?.[0], r, `rank of ${l}`);
    if (c.preselect !== undefined)
      assert.deepEqual(
        entries.filter((e) => e.preselect).map((e) => e.label),
        c.preselect === null ? [] : [c.preselect],
      );
    for (const [l, re] of Object.entries(c.detail ?? {}))
      assert.match(byLabel.get(l)?.detail ?? '', re, `detail of ${l}`);
    if (c.deprecated) {
      const dep = entries.filter((e) => e.deprecated).map((e) => e.label);
      for (const l of c.deprecated) assert.ok(dep.includes(l), `${l} is marked deprecated`);
      if (c.deprecated.length === 0) assert.deepEqual(dep, []);
    }
  });
}

test('completion: every entry carries documentation', () => {
  for (const text of [
    SVC + '|',
    SVC + 'SystemCallFilter=|',
    SVC + 'CapabilityBoundingSet=|',
    SVC + 'RestrictAddressFamilies=|',
    '[|',
  ]) {
    const { ctx } = ctxOf(text);
    for (const e of complete(ctx))
      assert.ok(e.documentation && e.documentation.length > 10, `${e.label} has documentation`);
  }
});

// ---------------------------------------------------------------------------------------------------------------
// The predictions agree with the engine scoring the edited text

const ENGINE_UNITS: Array<{ files: string | Source[]; version: Version; unit?: string }> = [
  { files: SVC + 'User=demo\n|\n', version: 252 },
  { files: SVC + 'User=demo\nProtectSystem=full\nPrivateDevices=yes\nDevicePolicy=|\n', version: 257 },
  { files: SVC + 'DynamicUser=yes\nProtectHome=|\n', version: 254 },
  { files: SVC + 'CapabilityBoundingSet=~CAP_SYS_ADMIN |\n', version: 252 },
  { files: SVC + 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE |\nCapabilityBoundingSet=~CAP_NET_RAW\n', version: 262 },
  { files: SVC + 'AmbientCapabilities=~|\n', version: 257 },
  { files: SVC + 'SystemCallFilter=@system-service\nSystemCallFilter=~@privileged |\n', version: 257 },
  { files: SVC + 'SystemCallFilter=~@mount |\nSystemCallFilter=@clock\n', version: 252 },
  { files: SVC + 'SystemCallFilter=|\n', version: 262 },
  { files: SVC + 'RestrictAddressFamilies=AF_UNIX |\n', version: 254 },
  { files: SVC + 'RestrictAddressFamilies=~AF_INET |\nRestrictAddressFamilies=AF_PACKET\n', version: 257 },
  { files: SVC + 'RestrictNamespaces=~user |\n', version: 262 },
  { files: SVC + 'SystemCallArchitectures=|\n', version: 252 },
  { files: SVC + 'IPAddressDeny=|\nIPAddressAllow=localhost\n', version: 257 },
  { files: '[Unit]\nDefaultDependencies=|\n[Service]\nExecStart=/x\n', version: 252 },
  { unit: 'getty@.service', files: SVC + 'PrivateTmp=|\n', version: 257 },
  {
    unit: 'web.service',
    files: [
      { path: '/etc/systemd/system/web.service', text: SVC + 'ProtectClock=yes\nDevicePolicy=closed\n' },
      { path: '/etc/systemd/system/web.service.d/10-x.conf', text: '[Service]\n|\n' },
      {
        path: '/etc/systemd/system/web.service.d/20-y.conf',
        text: '[Service]\nProtectSystem=full\nNoNewPrivileges=no\n',
      },
    ],
    version: 257,
  },
];

test('completion: every predicted exposure is what the engine says about the edited text', () => {
  let checked = 0;
  for (const u of ENGINE_UNITS) {
    const { ctx, text } = ctxOf(u.files, u.unit, u.version);
    for (const e of complete(ctx)) {
      if (!e.exposureAfter) continue;
      const after = e.exposureAfter.split(' → ')[1];
      const files = ctx.files.map((f, i) => (i === ctx.fileIndex ? { path: f.path, text: apply(text, e) } : f));
      const r = score(buildUnit(ctx.name, files, { version: u.version }), { version: u.version });
      assert.equal(r.exposure?.text, after, `${ctx.name} ${JSON.stringify(apply(text, e).slice(-60))}`);
      checked++;
    }
  }
  assert.ok(checked > 500, `checked ${checked} predictions`);
});

test('completion: the exposure before is the unit without the word being typed', () => {
  const cases: Array<[string, string]> = [
    [SVC + 'ProtectHome=yes\nProtectSystem=fu|\n', SVC + 'ProtectHome=yes\n\n'],
    [SVC + 'CapabilityBoundingSet=~CAP_SYS_ADMIN CAP_SYS_P|\n', SVC + 'CapabilityBoundingSet=~CAP_SYS_ADMIN\n'],
    [SVC + 'SystemCallFilter=~@|\n', SVC + '\n'],
  ];
  for (const [marked, without] of cases) {
    const { ctx } = ctxOf(marked, 'app.service', 252);
    const e = complete(ctx).find((x) => x.exposureAfter);
    assert.ok(e, 'some entry has a prediction');
    const r = score(
      buildUnit('app.service', [{ path: '/etc/systemd/system/app.service', text: without }], { version: 252 }),
    );
    assert.equal(e.exposureAfter!.split(' → ')[0], r.exposure?.text);
  }
});

test('completion: candidates sharing a dedupe class really score alike', () => {
  const units: Array<[string, Version]> = [
    [SVC + 'CapabilityBoundingSet=|\n', 252],
    [SVC + 'CapabilityBoundingSet=~|\n', 262],
    [SVC + 'CapabilityBoundingSet=CAP_CHOWN \\\n |\nCapabilityBoundingSet=~CAP_SETUID CAP_AUDIT_READ\n', 257],
    [SVC + 'AmbientCapabilities=|\nAmbientCapabilities=~CAP_NET_RAW\n', 254],
    [SVC + 'CapabilityBoundingSet=~|\nCapabilityBoundingSet=0x7 cap_setgid\n', 252],
    [SVC + 'RestrictAddressFamilies=|\n', 252],
    [SVC + 'RestrictAddressFamilies=~AF_INET |\nRestrictAddressFamilies=AF_X25 AF_IPX\n', 262],
    [SVC + 'RestrictAddressFamilies=AF_UNIX\nRestrictAddressFamilies=~|\n', 257],
    [SVC + 'SystemCallFilter=|\n', 252],
    [SVC + 'SystemCallFilter=~|\n', 257],
    [SVC + 'SystemCallFilter=@system-service\nSystemCallFilter=~@privileged |\n', 262],
    [SVC + 'SystemCallFilter=~@clock |\nSystemCallFilter=adjtimex settimeofday @swap\n', 254],
    [SVC + 'SystemCallFilter=@basic-io |\nSystemCallFilter=~chown:EPERM @mount\n', 257],
  ];
  for (const [marked, version] of units) {
    const { ctx } = ctxOf(marked, 'app.service', version);
    const fast = complete(ctx);
    const slow = complete(ctx, { dedupe: false });
    assert.deepEqual(
      fast.map((e) => [e.label, e.exposureAfter]),
      slow.map((e) => [e.label, e.exposureAfter]),
      JSON.stringify(marked.slice(SVC.length)),
    );
  }
});

test('completion: mayMatch is a superset of the editor filter', () => {
  assert.ok(mayMatch('', 'ProtectSystem'));
  assert.ok(mayMatch('prot', 'ProtectSystem'));
  assert.ok(mayMatch('Sys', 'ProtectSystem'));
  assert.ok(mayMatch('ps', 'ProtectSystem'));
  assert.ok(mayMatch('pol', 'DevicePolicy'));
  assert.ok(mayMatch('@res', '@resources'));
  assert.ok(mayMatch('net_raw', 'CAP_NET_RAW'));
  assert.ok(!mayMatch('x', 'ProtectSystem'));
  assert.ok(!mayMatch('rotect', 'ProtectSystem'));
});

// ---------------------------------------------------------------------------------------------------------------
// Robustness

const PIECES = [
  '[Service]\n',
  '[Unit]\n',
  '[Install]\n',
  '[Serv',
  '[',
  ']',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '\t',
  '\\\n',
  '#c\n',
  ';x\n',
  '=',
  '~',
  ':',
  '@',
  'ProtectSystem=',
  'SystemCallFilter=',
  'CapabilityBoundingSet=~',
  'RestrictAddressFamilies=',
  'RestrictNamespaces=',
  'UMask=',
  'ExecStart=/bin/true\n',
  'User=',
  'DynamicUser=yes\n',
  'strict',
  '@clock',
  'read:EPERM',
  'CAP_SYS_ADMIN',
  'AF_INET',
  'user',
  'Prot',
  'é',
  '\u0000',
  '\udc80',
  '😀',
  'X-Foo=',
  '"quoted word"',
  'PrivateTmp=',
  'Type=',
  'DevicePolicy=',
  '0077',
];

test('completion: random text and offsets never throw and keep the invariants', () => {
  const rand = rng(20240611);
  const names = ['a.service', 'b@.service', 'c.timer', 'd.socket', 'weird', '', 'e.mount'];
  for (let i = 0; i < 400; i++) {
    let text = '';
    const n = Math.floor(rand() * 14);
    for (let k = 0; k < n; k++) text += PIECES[Math.floor(rand() * PIECES.length)];
    const offset = Math.floor(rand() * (text.length + 1));
    const ctx: FeatureContext = {
      name: names[Math.floor(rand() * names.length)]!,
      files: [{ path: '/etc/systemd/system/x', text }],
      fileIndex: 0,
      offset,
      version: ([252, 254, 257, 262] as const)[Math.floor(rand() * 4)]!,
    };
    const entries = complete(ctx);
    checkInvariants(ctx, entries);
  }
});

test('completion: hostile contexts give empty lists', () => {
  const bad = [
    { name: 'a.service', files: [], fileIndex: 0, offset: 0, version: 252 },
    { name: 'a.service', files: [{ path: 'x', text: '[Service]\n' }], fileIndex: 3, offset: 0, version: 252 },
    { name: 'a.service', files: [{ path: 'x', text: '[Service]\n' }], fileIndex: 0, offset: -5, version: 252 },
    { name: 'a.service', files: [{ path: 'x', text: '[Service]\n' }], fileIndex: 0, offset: 1e9, version: 252 },
    {
      name: 'a.service',
      files: [{ path: 'x', text: '[Service]\nUMask=' }],
      fileIndex: 0,
      offset: Number.NaN,
      version: 999,
    },
    { name: 'a.service', files: [{ path: 'x', text: '[Service]\n' }], fileIndex: 0, offset: 10, version: 1 },
    null,
    { name: 42, files: [null, { path: 'x', text: 7 }], fileIndex: 1, offset: 0, version: 252 },
  ];
  for (const b of bad) assert.doesNotThrow(() => complete(b as unknown as FeatureContext));
});

// ---------------------------------------------------------------------------------------------------------------
// Hardening profiles: [Service] lines, offered only where they land in a [Service] section

/** [what, files, unit name, where the profiles are offered: 'here' (no header), 'header' (with [Service] first) or null] */
const PROFILE_CASES: Array<[string, string | Source[], string, 'here' | 'header' | null]> = [
  ['on a new line in [Service]', SVC + '|', 'app.service', 'here'],
  ['while typing their name in [Service]', SVC + 'harden|', 'app.service', 'here'],
  [
    'in [Service] before other lines',
    '[Service]\n|\nExecStart=/x\n[Install]\nWantedBy=multi-user.target\n',
    'app.service',
    'here',
  ],
  [
    "in a drop-in's [Service]",
    [
      { path: '/etc/systemd/system/app.service', text: SVC },
      { path: '/etc/systemd/system/app.service.d/override.conf', text: '[Service]\n|' },
    ],
    'app.service',
    'here',
  ],
  ['not in [Install] of a unit with [Service]', SVC + '[Install]\n|', 'app.service', null],
  [
    'not in [Unit] of a unit with [Service] after it',
    '[Unit]\n|\n' + SVC.slice('[Unit]\n'.length),
    'app.service',
    null,
  ],
  [
    'at the end of a unit without [Service]',
    '[Unit]\nDescription=x\n[Install]\nWantedBy=multi-user.target\n|',
    'app.service',
    'header',
  ],
  ['at the end, blank lines after', '[Unit]\nDescription=x\n|\n\n  \n', 'app.service', 'header'],
  [
    'in an empty drop-in',
    [
      { path: '/etc/systemd/system/app.service', text: SVC },
      { path: '/etc/systemd/system/app.service.d/override.conf', text: '|' },
    ],
    'app.service',
    'header',
  ],
  [
    'not in the middle of a unit without [Service]',
    '[Unit]\n|\n[Install]\nWantedBy=multi-user.target\n',
    'app.service',
    null,
  ],
  ['not in a socket', '[Unit]\nDescription=x\n|', 'app.socket', null],
  ['not in a key with a value', SVC + 'harden|=x', 'app.service', null],
  ['not in a value', SVC + 'ProtectSystem=|', 'app.service', null],
  ['not in a comment', SVC + '# harden|', 'app.service', null],
];

for (const [what, files, unit, where] of PROFILE_CASES) {
  test(`completion: hardening profiles ${what}`, () => {
    const { ctx } = ctxOf(files, unit, 257);
    const entries = complete(ctx, { exposure: false });
    checkInvariants(ctx, entries);
    const offered = entries.filter((e) => e.label.startsWith('harden-'));
    if (where === null)
      return assert.deepEqual(
        offered.map((e) => e.label),
        [],
      );
    assert.deepEqual(
      offered.map((e) => e.label),
      PROFILE_LABELS,
    );
    for (const [i, e] of offered.entries()) {
      const body = snippetBody(PROFILES[i]!, 257);
      assert.equal(e.kind, 'snippet');
      assert.ok(e.isSnippet);
      assert.equal(e.insertText, (where === 'header' ? ['[Service]', ...body] : body).join('\n'));
    }
  });
}

test('completion: a hardening profile inserted with its header gives a clean [Service] section', async () => {
  const { analyzeUnit } = await import('../../server/src/service');
  const { ctx, text } = ctxOf(
    '[Unit]\nDescription=x\n[Install]\nWantedBy=multi-user.target\nhard|',
    'app.service',
    257,
  );
  const e = complete(ctx, { exposure: false }).find((x) => x.label === 'harden-web-server')!;
  const after = apply(text, e) + '\nExecStart=/usr/sbin/nginx\n';
  const { diagnostics } = analyzeUnit({
    name: 'app.service',
    files: [{ path: '/x/app.service', text: after }],
    version: 257,
  });
  // The profile is for a web application that runs as www-data; nginx starts as root and switches to
  // www-data itself, so its User=www-data breaks it (booted: nginx-user-www-data), and Debian's nginx keeps
  // its temporary folders in /var/lib/nginx, which the profile leaves read-only (it writes only its logs and
  // cache folders). The two breaks-… warnings say so, and nothing else is reported.
  assert.deepEqual(
    diagnostics.map(
      (d) =>
        `${d.code}: ${d.message.slice(0, Math.min(...[' read-only', ' itself'].map((w) => (d.message.includes(w) ? d.message.indexOf(w) : Infinity))))}`,
    ),
    [
      'breaks-user-switch: app.service starts as root and switches to www-data',
      'breaks-read-only-path: ProtectSystem=strict makes /var/lib/nginx',
    ],
  );
});

test("completion: a hardening profile keeps the file's CRLF line ends", () => {
  const { ctx } = ctxOf('[Service]\r\nExecStart=/x\r\n|', 'app.service', 257);
  const e = complete(ctx, { exposure: false }).find((x) => x.label === 'harden-database')!;
  assert.equal(
    e.insertText,
    snippetBody(
      PROFILES.find((p) => p.id === 'database')!,
      257,
    ).join('\r\n'),
  );
});

test('completion: the extension contributes no static snippets (an editor offers those in every section, without a header)', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: Record<string, unknown>;
  };
  assert.equal(manifest.contributes.snippets, undefined);
});
