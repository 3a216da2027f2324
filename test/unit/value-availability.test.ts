/**
 * Value words by version (issue 14): a word the target release does not know yet gets the version that added it,
 * completion does not offer it, and the model folds it as that release does (ignored, or skipped inside a list).
 * One row per gap, each with the systemd commit that added the word (or the header that names it). Whole-value
 * words come from server/data/directives.json (held to the source by gen-directives --check), list words from
 * the vocabulary data (knowledge/word-availability.ts); the folds were checked against the 239, 245, 247 and 249
 * managers (test/fixtures/value-words/, value-words-oracle.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeUnit } from '../../server/src/service';
import { buildUnit } from '../../server/src/model/build';
import { typedValues } from '../../server/src/model/security-inputs';
import type { TypedValues } from '../../server/src/model/security-types';
import { complete } from '../../server/src/features/completion';
import type { FeatureContext } from '../../server/src/features/cursor-context';
import { ERRNO_KILL } from '../../server/src/model/values/syscalls';
import { directive, isKnown, valuesIn, VERSIONS } from '../../server/src/knowledge/directives';
import { TYPED_SETTINGS } from '../../server/src/model/values';
import { hasSource, type TargetVersion } from '../../server/src/knowledge/versions';
import { lineAvailable, lineUnavailable } from '../../server/src/knowledge/word-availability';

interface Gap {
  /** The commit that added the word (or where the name comes from). */
  source: string;
  section: 'Unit' | 'Service';
  /** Lines before the one judged, in the same section. */
  before?: string[];
  line: string;
  /** A release without the word, and the first with it. */
  target: number;
  since: number;
  /** The note the diagnostic on `line` ends with, at `target`. */
  note: string;
  /** Where completion is asked (text typed on the line) and the label it must offer only from `since`. */
  complete: [string, string];
  /** The folded value at `target` and at `since`. */
  fold: (v: TypedValues) => unknown;
  folded: [unknown, unknown];
}

const GAPS: Gap[] = [
  {
    source: '54fcb6192c core: define "exit" and "exit-force" actions for user units (240)',
    section: 'Unit',
    line: 'SuccessAction=exit',
    target: 239,
    since: 240,
    note: 'SuccessAction=exit needs systemd 240; the target is 239.',
    complete: ['SuccessAction=', 'exit'],
    fold: (v) => v.service.successAction,
    folded: ['none', 'exit'],
  },
  {
    source: '54fcb6192c (240)',
    section: 'Unit',
    line: 'SuccessAction=exit-force',
    target: 239,
    since: 240,
    note: 'SuccessAction=exit-force needs systemd 240; the target is 239.',
    complete: ['SuccessAction=', 'exit-force'],
    fold: (v) => v.service.successAction,
    folded: ['none', 'exit-force'],
  },
  {
    source: '005bfaf118 exec: Add kill action to system call filters (247)',
    section: 'Service',
    before: ['SystemCallErrorNumber=EPERM'],
    line: 'SystemCallErrorNumber=kill',
    target: 245,
    since: 247,
    note: 'SystemCallErrorNumber=kill needs systemd 247; the target is 245.',
    complete: ['SystemCallErrorNumber=', 'kill'],
    fold: (v) => v.systemCallErrorNumber,
    folded: [1, ERRNO_KILL],
  },
  {
    source: '005bfaf118 (247)',
    section: 'Service',
    line: 'SystemCallFilter=~@mount:kill @swap',
    target: 245,
    since: 247,
    note: "':kill' in SystemCallFilter= needs systemd 247; the target is 245.",
    complete: ['SystemCallFilter=~@mount:', 'kill'],
    fold: (v) => [v.systemCallFilter.entries.has('mount'), v.systemCallFilter.entries.has('swapon')],
    folded: [
      [false, true],
      [true, true],
    ],
  },
  {
    source: '4e6c50a5d4 core: add RestrictAddressFamilies=none to deny all address families (249)',
    section: 'Service',
    line: 'RestrictAddressFamilies=none',
    target: 247,
    since: 249,
    note: 'RestrictAddressFamilies=none needs systemd 249; the target is 247.',
    complete: ['RestrictAddressFamilies=', 'none'],
    // before 249 the unknown name still starts an empty allow-list: no family either way
    fold: (v) => [v.restrictAddressFamilies.allowList, v.restrictAddressFamilies.families?.size ?? null],
    folded: [
      [true, 0],
      [true, null],
    ],
  },
  {
    source: '95aac01259 shared: add @known syscall list (247)',
    section: 'Service',
    line: 'SystemCallFilter=@known',
    target: 245,
    since: 247,
    note: "'@known' in SystemCallFilter= needs systemd 247; the target is 245.",
    complete: ['SystemCallFilter=@', '@known'],
    fold: (v) => v.systemCallFilter.entries.has('read'),
    folded: [false, true],
  },
  {
    source: '9493b16871 Add @pkey syscall group (244)',
    section: 'Service',
    line: 'SystemCallFilter=~@pkey',
    target: 243,
    since: 244,
    note: "'@pkey' in SystemCallFilter= needs systemd 244; the target is 243.",
    complete: ['SystemCallFilter=~@', '@pkey'],
    fold: (v) => v.systemCallFilter.entries.has('pkey_alloc'),
    folded: [false, true],
  },
  {
    source: 'd12632a861 seccomp-util: add new @sandbox syscall group (254)',
    section: 'Service',
    line: 'SystemCallFilter=~@sandbox',
    target: 253,
    since: 254,
    note: "'@sandbox' in SystemCallFilter= needs systemd 254; the target is 253.",
    complete: ['SystemCallFilter=~@', '@sandbox'],
    fold: (v) => v.systemCallFilter.entries.has('landlock_create_ruleset'),
    folded: [false, true],
  },
  {
    source: 'c3b9c418c0 namespace-util: add namespace_info (252, with "time")',
    section: 'Service',
    before: ['RestrictNamespaces=net'],
    line: 'RestrictNamespaces=time',
    target: 251,
    since: 252,
    note: "'time' in RestrictNamespaces= needs systemd 252; the target is 251.",
    complete: ['RestrictNamespaces=', 'time'],
    // the line is ignored before 252: only net stays allowed; from 252 the list grows by time
    fold: (v) => v.restrictNamespaces.toString(16),
    folded: ['40000000', '40000080'],
  },
  {
    source: '047f5d63d7 cgroup: introduce support for cgroup v2 CPUSET controller (244; v239-50 has it too)',
    section: 'Service',
    line: 'Delegate=cpu cpuset',
    target: 243,
    since: 244,
    note: "'cpuset' in Delegate= needs systemd 244; the target is 243.",
    complete: ['Delegate=cpu ', 'cpuset'],
    fold: (v) => v.delegate.controllers,
    folded: [['cpu'], ['cpu', 'cpuset']],
  },
  {
    source: '506ea51b48 core: add bpf-foreign cgroup mask and harness (249)',
    section: 'Service',
    line: 'Delegate=pids bpf-foreign',
    target: 248,
    since: 249,
    note: "'bpf-foreign' in Delegate= needs systemd 249; the target is 248.",
    complete: ['Delegate=pids ', 'bpf-foreign'],
    fold: (v) => v.delegate.controllers,
    folded: [['pids'], ['pids', 'bpf-foreign']],
  },
  {
    source: "AF_MCTP (Linux 5.15): Debian 11's 247.3 was built with linux-libc-dev 5.10, which lacks it",
    section: 'Service',
    line: 'RestrictAddressFamilies=AF_UNIX AF_MCTP',
    target: 247,
    since: 248,
    note: "'AF_MCTP' in RestrictAddressFamilies= needs systemd 248; the target is 247.",
    complete: ['RestrictAddressFamilies=AF_UNIX AF_M', 'AF_MCTP'],
    fold: (v) => [...(v.restrictAddressFamilies.families ?? [])],
    folded: [[1], [1, 45]],
  },
  {
    source: "EFTYPE: errno.h of 262's C library (glibc 2.43, Debian sid), through generate-errno-list.sh",
    section: 'Service',
    line: 'SystemCallErrorNumber=EFTYPE',
    target: 257,
    since: 262,
    note: "'EFTYPE' in SystemCallErrorNumber= needs systemd 262; the target is 257.",
    complete: ['SystemCallErrorNumber=EF', 'EFTYPE'],
    fold: (v) => v.systemCallErrorNumber !== ERRNO_KILL,
    folded: [false, true],
  },
];

function unitText(g: Gap, line: string): string {
  const body = [...(g.before ?? []), line].join('\n');
  return g.section === 'Unit'
    ? `[Unit]\n${body}\n[Service]\nExecStart=/bin/true\n`
    : `[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n${body}\n`;
}

const PATH = '/etc/systemd/system/app.service';

for (const g of GAPS) {
  test(`value availability: ${g.line} needs ${g.since} (${g.source})`, () => {
    for (const [i, v] of [g.target, g.since].entries()) {
      const text = unitText(g, g.line);
      const lineStart = text.indexOf(g.line);
      const { diagnostics } = analyzeUnit({ name: 'app.service', files: [{ path: PATH, text }], version: v as never });
      const onLine = diagnostics.filter(
        (d) => d.code === 'invalid-value' && d.span.start >= lineStart && d.span.start < lineStart + g.line.length,
      );
      if (i === 0) {
        assert.equal(onLine.length, 1, `${v}: ${JSON.stringify(onLine.map((d) => d.message))}`);
        assert.ok(onLine[0]!.message.endsWith(` ${g.note}`), `${v}: ${onLine[0]!.message}`);
      } else assert.deepEqual(onLine, [], `${v}`);

      const model = buildUnit('app.service', [{ path: PATH, text }], { version: v });
      assert.deepEqual(g.fold(typedValues(model).value), g.folded[i], `fold at ${v}`);

      const [typed, label] = g.complete;
      const typing = unitText(g, typed);
      const ctx: FeatureContext = {
        name: 'app.service',
        files: [{ path: PATH, text: typing }],
        fileIndex: 0,
        offset: typing.lastIndexOf(typed) + typed.length,
        version: v as FeatureContext['version'],
      };
      const offered = complete(ctx, { exposure: false }).some((e) => e.label === label);
      assert.equal(offered, i === 1, `completion of ${label} at ${v}`);
    }
  });
}

/**
 * The settings the model types (in [Unit] and [Service]) whose words directives.json lists. WorkingDirectory='s
 * `~` is a form of the path, not a table word.
 */
const TABLE_KEYS: [string, string][] = [...TYPED_SETTINGS]
  .map((k): [string, string] => [k.slice(0, k.indexOf('.')), k.slice(k.indexOf('.') + 1)])
  .filter(([section, key]) => (section === 'Unit' || section === 'Service') && key !== 'WorkingDirectory')
  .filter(([, key]) => (directive(key)?.values?.length ?? 0) > 0);

test("value availability: the model's word tables are the data's, for every release with a source", () => {
  // Delegate='s table was read from 242 on only (a table without `*const`): 239–241 have it too
  assert.deepEqual(
    valuesIn('Delegate', 239).map((w) => w.value),
    ['cpu', 'cpuacct', 'io', 'blkio', 'memory', 'devices', 'pids', 'cpuset'],
  );
  assert.ok(TABLE_KEYS.length >= 20, TABLE_KEYS.join(' '));
  let tried = 0;
  for (const v of VERSIONS.filter((x) => hasSource(x as TargetVersion))) {
    for (const [section, key] of TABLE_KEYS) {
      if (!isKnown(section, key, v)) continue;
      const words = new Set(valuesIn(key, v).map((w) => w.value));
      const every = new Set(VERSIONS.flatMap((x) => valuesIn(key, x).map((w) => w.value)));
      for (const w of every) {
        const text =
          section === 'Unit'
            ? `[Unit]\n${key}=${w}\n[Service]\nExecStart=/bin/true\n`
            : `[Service]\nExecStart=/bin/true\n${key}=${w}\n`;
        const model = buildUnit('app.service', [{ path: PATH, text }], { version: v });
        const rejected = typedValues(model).problems.some((p) => p.assignment.key === key);
        assert.equal(!rejected, words.has(w), `${key}=${w} at ${v}: the model ${rejected ? 'rejects' : 'takes'} it`);
        tried++;
      }
    }
  }
  assert.ok(tried > 1500, `${tried} words tried`);
});

test('value availability: a line the product writes is judged word by word', () => {
  assert.equal(lineAvailable('Service', 'SystemCallFilter=@system-service @known', 245), false);
  assert.equal(lineAvailable('Service', 'SystemCallFilter=@system-service @known', 247), true);
  assert.equal(lineAvailable('Service', 'SystemCallFilter=~@mount:kill', 245), false);
  assert.equal(lineAvailable('Service', 'SystemCallFilter=~@mount:EPERM', 245), true);
  assert.equal(lineAvailable('Service', 'RestrictNamespaces=~net time', 251), false);
  assert.equal(lineAvailable('Service', 'RestrictNamespaces=~net time', 252), true);
  assert.equal(lineAvailable('Service', 'Delegate=cpu cpuset', 239), true, 'v239-50 has cpuset');
  assert.equal(lineAvailable('Service', 'Delegate=cpu cpuset', 243), false);
  assert.equal(lineAvailable('Unit', 'SuccessAction=exit', 239), false);
  // a word no version knows is not "unavailable": the line is the caller's to judge
  assert.equal(lineAvailable('Service', 'SystemCallFilter=@no-such-group', 245), true);
  assert.deepEqual(lineUnavailable('Service', 'SystemCallFilter=~@sandbox @swap', 253), {
    what: "'@sandbox' in SystemCallFilter=",
    since: 254,
  });
});
