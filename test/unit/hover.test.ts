/**
 * Hover, data-driven: a unit text with a `|` cursor marker → the text the hover is about and
 * pieces its markdown must (or must not) contain. Also server/data/directive-docs.json against the
 * other data (every directive, value, check and section it names exists; its schema is checked by
 * data-schemas.test.ts), and a fuzz run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import docsData from '../../server/data/directive-docs.json';
import { assessorsFor } from '../../server/src/exposure';
import type { FeatureContext } from '../../server/src/features/cursor-context';
import {
  checkPatterns,
  directiveDoc,
  documentedDirectives,
  sectionDoc,
} from '../../server/src/features/directive-docs';
import { hover } from '../../server/src/features/hover';
import { directive, setting, valuesIn } from '../../server/src/knowledge/directives';
import { sectionsOf } from '../../server/src/model/sections';
import { UNIT_TYPES } from '../../server/src/model/unit-name';
import { knownArchitectures } from '../../server/src/model/values/syscalls';

type Version = 252 | 254 | 257 | 262;

interface Source {
  path: string;
  text: string;
}

function ctxOf(files: string | Source[], name = 'app.service', version: Version = 257): FeatureContext {
  const list: Source[] = typeof files === 'string' ? [{ path: `/etc/systemd/system/${name}`, text: files }] : files;
  const fileIndex = list.findIndex((f) => f.text.includes('|'));
  assert.ok(fileIndex >= 0, 'a case needs a | cursor marker');
  const marked = list[fileIndex]!.text;
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return {
    name,
    files: list.map((f, i) => (i === fileIndex ? { path: f.path, text } : f)),
    fileIndex,
    offset,
    version,
  };
}

interface Case {
  name: string;
  files: string | Source[];
  unit?: string;
  version?: Version;
  /** null: no hover. */
  about?: string | null;
  contains?: string[];
  excludes?: string[];
}

const SVC = '[Unit]\nDescription=demo\n[Service]\nExecStart=/usr/bin/demo\n';

const CASES: Case[] = [
  // Sections
  {
    name: 'section header',
    files: '[Ser|vice]\nExecStart=/x\n',
    about: '[Service]',
    contains: ['**[Service]**', 'How a service is started'],
  },
  { name: 'timer section', files: '[Ti|mer]\n', unit: 'x.timer', about: '[Timer]', contains: ['calendar schedule'] },
  {
    name: 'a section the unit type lacks',
    files: '[Ti|mer]\n',
    about: '[Timer]',
    contains: ['no such section', '`[Service]`'],
  },
  { name: 'an unknown section', files: '[Fo|o]\n', about: '[Foo]', contains: ['does not know this section'] },
  { name: 'an extension section', files: '[X-Ve|ndor]\n', about: '[X-Vendor]', contains: ['without a warning'] },
  { name: 'a broken header', files: '[Serv|', about: null },
  // A file systemd does not load for its name: its sections and keys are not a unit's.
  {
    name: 'a Podman quadlet section',
    files: '[Cont|ainer]\nImage=x\n',
    unit: 'web.container',
    about: '[Container]',
    contains: ["'.container' is not a systemd unit type"],
    excludes: ['no such section', '.service units'],
  },
  {
    name: 'a section of a file whose name systemd refuses',
    files: '[Ti|mer]\n',
    unit: 'x y.service',
    contains: ["systemd refuses the unit name 'x y.service'"],
    excludes: ['no such section'],
  },
  {
    name: 'a key of a quadlet file',
    files: '[Unit]\nProtect|Home=yes\n',
    unit: 'web.container',
    contains: ['**ProtectHome=**'],
    excludes: ['does not belong', 'Ignored here'],
  },

  // Keys
  {
    name: 'a sandboxing key: docs, values, version, exposure',
    files: SVC + 'User=demo\nProtect|System=full\n',
    version: 252,
    about: 'ProtectSystem',
    contains: [
      '**ProtectSystem=** — [Service] · since systemd 239 or earlier',
      'one of `no` · `yes` · `full` · `strict`',
      '**Protects against:**',
      '**Can break:**',
      'ReadWritePaths=',
      '**Exposure now:** 9.1 UNSAFE (systemd-analyze security, systemd 252)',
      '| ✗ `ProtectSystem=` | 3/10 | 0.1 |',
      'Without this line: 9.1 → 9.2',
    ],
  },
  {
    name: 'a key that changes several checks',
    files: SVC + 'Private|Devices=yes\n',
    version: 257,
    about: 'PrivateDevices',
    contains: [
      '`PrivateDevices=`',
      '`CapabilityBoundingSet=~CAP_MKNOD`',
      '`CapabilityBoundingSet=~CAP_SYS_RAWIO`',
      'Without this line:',
    ],
  },
  {
    name: 'capability checks collapse when they pass',
    files: SVC + 'CapabilityBoundingSet|=CAP_SYS_ADMIN\n',
    contains: ['| ✗ `CapabilityBoundingSet=~CAP_SYS_ADMIN` | 1/1 |', '✓ Passing (25):'],
  },
  {
    name: 'values per version (252)',
    files: SVC + 'Private|Tmp=yes\n',
    version: 252,
    contains: ['one of `yes` · `no`.'],
    excludes: ['`disconnected`'],
  },
  {
    name: 'values per version (257)',
    files: SVC + 'Private|Tmp=yes\n',
    version: 257,
    contains: ['`connected` · `disconnected`'],
  },
  { name: 'the version that introduced a key', files: SVC + 'Protect|Clock=yes\n', contains: ['since systemd 245'] },
  {
    name: 'a key newer than the target',
    files: SVC + 'Private|PIDs=yes\n',
    version: 252,
    contains: ['since systemd 257', 'does not know it in [Service] yet (added in 257)'],
    excludes: ['Exposure now'],
  },
  {
    name: 'a key in the wrong section',
    files: '[Unit]\nProtect|Home=yes\n' + '[Service]\nExecStart=/x\n',
    contains: ['does not belong in [Unit]', 'It belongs in `[Service]`'],
  },
  {
    name: 'a deprecated key',
    files: SVC + 'CPU|Shares=100\n',
    version: 262,
    contains: ['Deprecated since systemd 258', '`CPUWeight=`'],
  },
  {
    name: 'a list key',
    files: SVC + 'ReadWrite|Paths=/var/lib/demo\n',
    contains: ['an empty assignment resets the list', 'absolute paths'],
  },
  { name: 'a key being typed is not a directive yet', files: SVC + 'NoNewPriv|', about: null },
  {
    name: 'a complete key being typed',
    files: SVC + 'NoNewPrivileges|',
    about: 'NoNewPrivileges',
    contains: ['setuid'],
  },
  { name: 'wrong case', files: SVC + 'protectsystem|=yes\n', contains: ['case-sensitive', '`ProtectSystem=`'] },
  { name: 'an unknown key', files: SVC + 'Frobnicate|=yes\n', about: null },
  { name: 'an extension key', files: SVC + 'X-Foo|=yes\n', contains: ['extension key'] },
  {
    name: 'an assignment a later file overrides',
    unit: 'web.service',
    files: [
      { path: '/etc/systemd/system/web.service', text: SVC + 'Protect|System=full\n' },
      { path: '/etc/systemd/system/web.service.d/override.conf', text: '[Service]\nProtectSystem=strict\n' },
    ],
    version: 252,
    contains: ['Overridden by `ProtectSystem=strict` in /etc/systemd/system/web.service.d/override.conf (line 2)'],
  },
  {
    name: 'a unit that is still being written (no ExecStart=)',
    files: '[Service]\nNoNew|Privileges=yes\n',
    contains: ['the numbers assume it loads', 'Exposure now'],
  },
  {
    name: 'a unit systemd refuses',
    files: SVC + 'ProtectSystem=yes\nDynamic|User=perhaps\n',
    contains: ['No exposure: systemd would not load the unit'],
  },
  {
    name: 'DefaultDependencies makes checks n/a',
    files: '[Unit]\nDefault|Dependencies=no\n[Service]\nExecStart=/x\n',
    contains: ['| – `ProtectSystem=` | n/a |'],
  },

  // Value words
  {
    name: 'a system-call group',
    files: SVC + 'SystemCallFilter=~@cl|ock\n',
    about: '@clock',
    contains: ['system-call group (systemd 257)', '`adjtimex`', 'Typically needed by', '`SystemCallFilter=~@clock`'],
  },
  {
    name: 'a nested group counts expanded members',
    files: SVC + 'SystemCallFilter=@system-serv|ice\n',
    contains: ['calls with nested groups expanded'],
  },
  {
    name: 'a group the version lacks',
    files: SVC + 'SystemCallFilter=@sand|box\n',
    version: 252,
    contains: ['has no system-call group `@sandbox`'],
  },
  {
    name: 'a system call',
    files: SVC + 'SystemCallFilter=~set|timeofday\n',
    about: 'settimeofday',
    contains: ['system call', '`@clock`'],
  },
  { name: 'errno after :', files: SVC + 'SystemCallFilter=~mount:EAC|CES\n', about: 'EACCES', contains: ['errno 13'] },
  {
    name: 'the group before :errno',
    files: SVC + 'SystemCallFilter=~@cl|ock:EPERM\n',
    about: '@clock',
    contains: ['system-call group (systemd 257)'],
    excludes: ['has no system-call group'],
  },
  {
    name: 'the call before :errno',
    files: SVC + 'SystemCallFilter=~settime|ofday:EPERM\n',
    about: 'settimeofday',
    contains: ['system call', '`@clock`'],
  },
  {
    name: 'kill after :',
    files: SVC + 'SystemCallFilter=~mount:ki|ll\n',
    about: 'kill',
    contains: ['Kill the process'],
  },
  {
    name: 'SystemCallErrorNumber',
    files: SVC + 'SystemCallErrorNumber=EPE|RM\n',
    about: 'EPERM',
    contains: ['errno 1'],
  },
  {
    name: 'log is not an errno',
    files: SVC + 'SystemCallErrorNumber=l|og\n',
    contains: ['not accepted', 'SystemCallLog='],
  },
  {
    name: 'a capability',
    files: SVC + 'CapabilityBoundingSet=~CAP_SYS_AD|MIN CAP_NET_RAW\n',
    about: 'CAP_SYS_ADMIN',
    contains: ['capability 21', '**Risk:**', '`CapabilityBoundingSet=~CAP_SYS_ADMIN`'],
  },
  {
    name: 'a capability in lower case',
    files: SVC + 'AmbientCapabilities=cap_net_b|ind_service\n',
    contains: ['**CAP_NET_BIND_SERVICE**'],
  },
  {
    name: 'an address family',
    files: SVC + 'RestrictAddressFamilies=AF_UNIX AF_NET|LINK\n',
    about: 'AF_NETLINK',
    contains: ['address family 16', '`RestrictAddressFamilies=~AF_NETLINK`'],
  },
  {
    name: 'an address-family alias',
    files: SVC + 'RestrictAddressFamilies=AF_LO|CAL\n',
    contains: ['Another name for `AF_UNIX`'],
  },
  { name: 'none', files: SVC + 'RestrictAddressFamilies=no|ne\n', contains: ['cannot create sockets'] },
  { name: 'a namespace type', files: SVC + 'RestrictNamespaces=~us|er\n', about: 'user', contains: ['CLONE_NEWUSER'] },
  {
    name: 'time is not covered by yes before 262',
    files: SVC + 'RestrictNamespaces=ti|me\n',
    version: 257,
    contains: ['does not cover this type'],
  },
  {
    name: 'time is covered by yes in 262',
    files: SVC + 'RestrictNamespaces=ti|me\n',
    version: 262,
    excludes: ['does not cover'],
  },
  { name: 'the ~', files: SVC + 'RestrictNamespaces=|~user\n', about: '~', contains: ['inverts the list'] },
  {
    name: 'an architecture',
    files: SVC + 'SystemCallArchitectures=nat|ive\n',
    about: 'native',
    contains: ['compatibility layers'],
  },
  {
    name: 'an enum value',
    files: SVC + 'ProtectSystem=str|ict\n',
    about: 'strict',
    contains: ['**ProtectSystem=strict**', 'read-only'],
  },
  { name: 'a boolean value', files: SVC + 'NoNewPrivileges=ye|s\n', about: 'yes', contains: ['Turns it on'] },
  { name: 'a service type', files: SVC + 'Type=noti|fy\n', about: 'notify', contains: ['READY=1'] },
  {
    name: 'a value newer than the oldest version',
    files: SVC + 'PrivateTmp=discon|nected\n',
    contains: ['Accepted since systemd 257'],
  },
  { name: 'UMask', files: SVC + 'UMask=00|27\n', about: '0027', contains: ['`rw-r-----`', '`rwxr-x---`'] },
  { name: 'an unusual UMask', files: SVC + 'UMask=00|7\n', contains: ['`rw-rw----`', '`rwxrwx---`'] },
  { name: 'IPAddressDeny=any', files: SVC + 'IPAddressDeny=an|y\n', contains: ['Every IPv4 and IPv6 address'] },
  {
    name: 'a free-form value shows the directive',
    files: SVC + 'ReadWritePaths=/var/l|ib/demo\n',
    about: '/var/lib/demo',
    contains: ['**ReadWritePaths=**'],
  },

  // Nothing
  { name: 'a comment', files: SVC + '# Protect|System=yes\n', about: null },
  { name: 'a blank line', files: SVC + '\n|\n', about: null },
  { name: 'whitespace in a value', files: SVC + 'CapabilityBoundingSet=CAP_A  |  CAP_B\n', about: null },
];

for (const c of CASES) {
  test(`hover: ${c.name}`, () => {
    const ctx = ctxOf(c.files, c.unit, c.version);
    const h = hover(ctx);
    if (c.about === null) {
      assert.equal(h, null);
      return;
    }
    assert.ok(h, 'a hover');
    const text = ctx.files[ctx.fileIndex]!.text;
    assert.ok(h.span.start <= ctx.offset && ctx.offset <= h.span.end, 'the span holds the cursor');
    if (c.about !== undefined) assert.equal(text.slice(h.span.start, h.span.end), c.about);
    for (const s of c.contains ?? [])
      assert.ok(h.markdown.includes(s), `contains ${JSON.stringify(s)}:\n${h.markdown}`);
    for (const s of c.excludes ?? []) assert.ok(!h.markdown.includes(s), `does not contain ${JSON.stringify(s)}`);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// directive-docs.json

test('directive-docs.json: every directive, value, related name and check exists', () => {
  const fields = new Set<string>();
  for (const v of [252, 254, 257, 262]) for (const a of assessorsFor(v)) fields.add(a.json_field);
  let sandboxing = 0;
  for (const name of documentedDirectives()) {
    const d = directive(name);
    assert.ok(d, `${name} is a directive`);
    const doc = directiveDoc(name)!;
    if (doc.protects) sandboxing++;
    for (const r of doc.related ?? []) assert.ok(directive(r), `${name}: related ${r} is a directive`);
    for (const p of checkPatterns(name)) {
      const hits = [...fields].filter((f) => (p.endsWith('*') ? f.startsWith(p.slice(0, -1)) : f === p));
      assert.ok(hits.length > 0, `${name}: check ${p} exists`);
    }
    const section = Object.keys(d.sections)[0]!;
    const kind = setting(section, name)?.kind ?? d.kind;
    const words = new Set(valuesIn(name, 262).map((x) => x.value));
    if (kind === 'boolean' || kind === 'tristate' || name === 'Delegate' || name === 'RestrictNamespaces')
      words.add('yes').add('no');
    if (kind === 'ip-address-list') for (const w of ['any', 'localhost', 'link-local', 'multicast']) words.add(w);
    // SecureBits= words are not in the parser tables; our docs are their vocabulary.
    if (name !== 'SecureBits')
      for (const w of Object.keys(doc.values ?? {})) assert.ok(words.has(w), `${name}: ${w} is a value it accepts`);
    if (doc.best !== undefined && doc.best !== '' && (kind === 'enum' || kind === 'boolean' || kind === 'tristate')) {
      assert.ok(words.has(doc.best), `${name}: best value ${doc.best} is accepted`);
    }
  }
  assert.ok(sandboxing >= 60, `${sandboxing} sandboxing directives documented`);
});

test('directive-docs.json: every check of every version belongs to some directive', () => {
  for (const v of [252, 254, 257, 262]) {
    for (const a of assessorsFor(v)) {
      const owners = documentedDirectives().filter((n) =>
        checkPatterns(n).some((p) => (p.endsWith('*') ? a.json_field.startsWith(p.slice(0, -1)) : a.json_field === p)),
      );
      assert.ok(owners.length > 0, `${v}: ${a.json_field} has a directive`);
    }
  }
});

test('directive-docs.json: every section and architecture has a text', () => {
  for (const t of UNIT_TYPES) for (const s of sectionsOf(t)) assert.ok(sectionDoc(s), `[${s}] is documented`);
  const arch = (docsData as { architectures: Record<string, string> }).architectures;
  for (const a of knownArchitectures(262)) assert.ok(arch[a], `${a} is documented`);
});

// ---------------------------------------------------------------------------------------------------------------
// Robustness

test('hover: random text and offsets never throw; spans hold the cursor', () => {
  let s = 99;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const pieces = [
    '[Service]\n',
    '[Unit]\n',
    '[',
    ']',
    '\n',
    '\r\n',
    ' ',
    '\\\n',
    '#x\n',
    '=',
    '~',
    ':',
    '@clock',
    'ProtectSystem=',
    'SystemCallFilter=',
    'CapabilityBoundingSet=',
    'CAP_SYS_ADMIN',
    'RestrictNamespaces=',
    'user',
    'UMask=',
    '0077',
    'ExecStart=/x\n',
    'é',
    '\u0000',
    '\udc80',
    'X-A=',
    'read:EPERM',
  ];
  for (let i = 0; i < 600; i++) {
    let text = '';
    const n = Math.floor(rand() * 12);
    for (let k = 0; k < n; k++) text += pieces[Math.floor(rand() * pieces.length)];
    const offset = Math.floor(rand() * (text.length + 1));
    const ctx: FeatureContext = {
      name: ['a.service', 'b@.service', 'c.timer', ''][i % 4]!,
      files: [{ path: 'x', text }],
      fileIndex: 0,
      offset,
      version: ([252, 254, 257, 262] as const)[i % 4]!,
    };
    const h = hover(ctx);
    if (h) {
      assert.ok(h.span.start <= offset && offset <= h.span.end && h.span.end <= text.length);
      assert.ok(h.markdown.length > 0);
    }
  }
  for (const bad of [
    null,
    {},
    { name: 'a.service', files: [], fileIndex: 0, offset: 0, version: 252 },
    {
      name: 'a.service',
      files: [{ path: 'x', text: '[Service]\nUser=x' }],
      fileIndex: 0,
      offset: Infinity,
      version: 7,
    },
  ]) {
    assert.doesNotThrow(() => hover(bad as unknown as FeatureContext));
  }
});

test('directive-docs.json: the checks a directive lists cover every check its values change', async () => {
  const { complete } = await import('../../server/src/features/completion');
  const { directiveAffects, isSandboxDirective } = await import('../../server/src/features/directive-docs');
  const { score } = await import('../../server/src/exposure');
  const { buildUnit } = await import('../../server/src/model/build');
  const bases = [
    '[Service]\nExecStart=/x\n',
    '[Service]\nExecStart=/x\nUser=svc\n',
    '[Service]\nExecStart=/x\nUser=svc\nDevicePolicy=closed\nSystemCallFilter=@system-service\nRestrictAddressFamilies=AF_UNIX\n',
    '[Service]\nExecStart=/x\nDynamicUser=yes\nPrivateDevices=yes\nCapabilityBoundingSet=CAP_SYS_TIME CAP_MKNOD\n',
  ];
  // Values completion cannot offer (free-form settings).
  const extra: Record<string, string[]> = {
    User: ['root', 'svc', '0'],
    RootDirectory: ['/srv/root'],
    RootImage: ['/srv/img.raw'],
    MountImages: ['/srv/a.raw:/mnt'],
    DeviceAllow: ['/dev/sda rw', 'char-rtc r'],
    SupplementaryGroups: ['adm'],
    IPAddressAllow: ['10.0.0.0/8'],
    IPIngressFilterPath: ['/sys/fs/bpf/x'],
    IPEgressFilterPath: ['/sys/fs/bpf/x'],
    LoadCredentialEncrypted: ['a:/etc/a.cred'],
    SetCredentialEncrypted: ['a:AAAA'],
    UMask: ['0000'],
  };
  let compared = 0;
  const missing: string[] = [];
  for (const v of [252, 257, 262] as const) {
    for (const base of bases) {
      for (const d of documentedDirectives()) {
        if (!isSandboxDirective(d)) continue;
        const marked = d === 'DefaultDependencies' ? `[Unit]\n${d}=|\n${base}` : `${base}${d}=|\n`;
        const offset = marked.indexOf('|');
        const text = marked.replace('|', '');
        const offered = complete(
          { name: 'a.service', files: [{ path: '/a.service', text }], fileIndex: 0, offset, version: v },
          { exposure: false },
        );
        const values = [...offered.map((e) => e.insertText ?? e.label).slice(0, 40), ...(extra[d] ?? [])];
        const before = score(
          buildUnit('a.service', [{ path: '/a.service', text: text.replace(`${d}=\n`, '') }], { version: v }),
        );
        const badness = new Map(before.checks.map((c) => [c.json_field, c.badness]));
        for (const value of values) {
          const after = score(
            buildUnit('a.service', [{ path: '/a.service', text: text.replace(`${d}=\n`, `${d}=${value}\n`) }], {
              version: v,
            }),
          );
          if (!before.exposure || !after.exposure) continue;
          compared++;
          for (const c of after.checks) {
            if (badness.get(c.json_field) !== c.badness && !directiveAffects(d, c.json_field))
              missing.push(`${v} ${d}=${value}: ${c.json_field}`);
          }
        }
      }
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(compared > 2000, `compared ${compared} values`);
});
