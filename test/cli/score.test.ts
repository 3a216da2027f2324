/** The built CLI's `score` command against the real systemd-analyze 252, and its formats and exit codes. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { ROOT } from '../helpers';
import { cli, writeUnder } from './helpers';
import { oraclePath, runOracle } from '../oracle';
import { skipUnless } from '../requirements';

const tmp = mkdtempSync(join(tmpdir(), 'sh-score-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const write = (rel: string, text: string | Buffer): string => writeUnder(tmp, rel, text);

/** The overall exposure the real binary prints in its table form (the tests that call it need systemd-analyze 252). */
function oracleExposure(args: string[], cwd = tmp): string | null {
  const bin = oraclePath(252)!;
  const r = runOracle(bin, ['security', '--offline=yes', '--no-pager', ...args], cwd);
  return /Overall exposure level for \S+: (\d+\.\d)/.exec(r.stdout)?.[1] ?? null;
}

interface Out {
  file: string;
  unit: string;
  exposure: number | null;
  band: string | null;
  error?: string;
  checks: { json_field: string; set: boolean | null; exposure: number | null; description: string }[];
  suggestions: { setting: string; json_fields: string[]; exposure_after: number }[];
  diagnostics: { code: string }[];
}

const bare = write('bare/bare.service', '[Service]\nExecStart=/bin/true\n');
const hardened = write('hard/web.service', '[Service]\nExecStart=/usr/bin/web\nUser=web\n');
write('hard/web.service.d/10-sandbox.conf', '[Service]\nProtectSystem=strict\nPrivateTmp=yes\nNoNewPrivileges=yes\n');
const template = write('tpl/agent@.service', '[Service]\nExecStart=/usr/bin/agent %i\nUser=%i\n');
const refused = write('refused/noexec.service', '[Unit]\nDescription=no ExecStart\n[Service]\nType=oneshot\n');
const junk = write('junk/junk.service', Buffer.from([0x00, 0xff, 0x5b, 0x0a, 0xfe]));

test(
  'score: one unit prints the check table and the overall line, equal to systemd 252',
  { skip: skipUnless('systemd-analyze 252') },
  () => {
    const r = cli('score', bare);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /→ Overall exposure level for bare\.service: 9\.6 UNSAFE/);
    assert.equal(oracleExposure([bare]), '9.6');
    assert.match(r.stdout, /Suggestions/);
  },
);

test(
  'score: drop-ins beside the unit count, and the result equals systemd-analyze on the same folder',
  { skip: skipUnless('systemd-analyze 252') },
  () => {
    const out = JSON.parse(cli('score', '--format', 'json', hardened).stdout) as Out[];
    assert.equal(String(out[0]!.exposure?.toFixed(1)), oracleExposure([hardened]));
    assert.ok(out[0]!.exposure! < 9.6);
  },
);

test(
  'score: JSON has one object per unit in argument order, with checks, suggestions and diagnostics',
  { skip: skipUnless('systemd-analyze 252') },
  () => {
    const r = cli('score', '--format', 'json', hardened, bare, template);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Out[];
    assert.deepEqual(
      out.map((o) => o.file),
      [hardened, bare, template],
    );
    assert.deepEqual(
      out.map((o) => o.unit),
      ['web.service', 'bare.service', 'agent@i.service'],
    );
    assert.equal(out[1]!.exposure, 9.6);
    assert.equal(out[1]!.band, 'UNSAFE');
    assert.equal(out[1]!.checks.length, 81);
    const ps = out[1]!.checks.find((c) => c.json_field === 'ProtectSystem')!;
    assert.equal(ps.set, false);
    assert.equal(typeof ps.exposure, 'number');
    assert.ok(ps.description.length > 10);
    const sug = out[1]!.suggestions.find((s) => s.setting === 'ProtectSystem=strict')!;
    assert.deepEqual(sug.json_fields, ['ProtectSystem']);
    assert.ok(sug.exposure_after < 9.6);
    assert.equal(String(out[2]!.exposure?.toFixed(1)), oracleExposure([template]));
  },
);

test(
  'score: a suggestion applied as a drop-in gives the exposure it predicted (real systemd-analyze)',
  { skip: skipUnless('systemd-analyze 252') },
  () => {
    const out = JSON.parse(cli('score', '--format', 'json', bare).stdout) as Out[];
    for (const s of out[0]!.suggestions.slice(0, 5)) {
      const dir = join(tmp, `apply-${s.json_fields[0]}`);
      mkdirSync(join(dir, 'bare.service.d'), { recursive: true });
      writeFileSync(join(dir, 'bare.service'), readFileSync(bare));
      writeFileSync(join(dir, 'bare.service.d', 'fix.conf'), `[Service]\n${s.setting}\n`);
      assert.equal(oracleExposure([join(dir, 'bare.service')]), s.exposure_after.toFixed(1), s.setting);
    }
  },
);

test(
  'score: --root resolves names under a root like systemd-analyze --root',
  { skip: skipUnless('systemd-analyze 252') },
  () => {
    const root = join(tmp, 'root');
    write('root/lib/systemd/system/rooted.service', '[Service]\nExecStart=/bin/true\n');
    write('root/etc/systemd/system/rooted.service.d/override.conf', '[Service]\nDynamicUser=yes\nPrivateNetwork=yes\n');
    const out = JSON.parse(cli('score', '--format', 'json', '--root', root, 'rooted.service').stdout) as Out[];
    const cwd = join(tmp, 'empty');
    mkdirSync(cwd, { recursive: true });
    assert.equal(out[0]!.exposure?.toFixed(1), oracleExposure([`--root=${root}`, 'rooted.service'], cwd));
  },
);

test('score: --systemd-version changes the scoring; an unsupported one is refused clearly', () => {
  const out = JSON.parse(cli('score', '--format', 'json', '--systemd-version', '254', bare).stdout) as Out[];
  assert.equal(out[0]!.exposure, 9.4, '254 counts PrivateMounts= as set offline');
  const r = cli('score', '--systemd-version', '263', bare);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /supported versions are 239–262/);
});

test('score: --threshold works on the tenths scale as systemd does, and with a decimal point', () => {
  assert.equal(cli('score', '--threshold', '95', bare).status, 1);
  assert.equal(cli('score', '--threshold', '96', bare).status, 0);
  assert.equal(cli('score', '--threshold', '9.5', bare).status, 1);
  assert.equal(cli('score', '--threshold', '9.6', bare).status, 0);
  assert.equal(cli('score', '--threshold', '101', bare).status, 2);
});

test('score: --policy changes weights as systemd does', { skip: skipUnless('systemd-analyze 252') }, () => {
  const policy = write(
    'policy.json',
    JSON.stringify({
      PrivateNetwork: { weight: 0 },
      UserOrDynamicUser: { weight: 5000 },
      ProtectSystem: { range: 20 },
    }),
  );
  const out = JSON.parse(cli('score', '--format', 'json', '--policy', policy, bare).stdout) as Out[];
  assert.equal(out[0]!.exposure?.toFixed(1), oracleExposure([`--security-policy=${policy}`, bare]));
  assert.equal(out[0]!.checks.find((c) => c.json_field === 'PrivateNetwork')!.set, null);
  const bad = write('bad-policy.json', '{not json');
  assert.equal(cli('score', '--policy', bad, bare).status, 2);
});

test('score: a refused unit gets exposure null and the reason; bad input exits 2 and the rest is still scored', () => {
  const r = cli('score', '--format', 'json', refused, join(tmp, 'missing.service'), junk, bare);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /missing\.service/);
  assert.match(r.stderr, /junk\.service: not a unit file/);
  const out = JSON.parse(r.stdout) as Out[];
  assert.deepEqual(
    out.map((o) => o.file),
    [refused, junk, bare],
  );
  assert.equal(out[0]!.exposure, null);
  assert.match(out[0]!.error!, /ExecStart/);
  assert.equal(out[1]!.exposure, null);
  assert.equal(out[2]!.exposure, 9.6);
  assert.equal(cli('score', refused).status, 1);
  assert.equal(cli('score', join(tmp, 'junk', '..', 'empty-dir-does-not-exist')).status, 2);
  mkdirSync(join(tmp, 'nounits'), { recursive: true });
  const none = cli('score', join(tmp, 'nounits'));
  assert.equal(none.status, 2);
  assert.match(none.stderr, /no unit files/);
});

test('score: several units give a ranking, most exposed first', () => {
  const r = cli('score', hardened, bare);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^UNIT\s+EXPOSURE PREDICATE HAPPY$/);
  assert.match(lines[1]!, /^bare\.service\s+9\.6 UNSAFE/);
  assert.match(lines[2]!, /^web\.service/);
});

test('score: SARIF output is valid SARIF 2.1.0', () => {
  const r = cli(
    'score',
    '--format',
    'sarif',
    '--threshold',
    '50',
    bare,
    hardened,
    write('typo/t.service', '[Service]\nExecStart=/bin/true\nProtectSytem=yes\n'),
  );
  assert.equal(r.status, 1);
  const sarif = JSON.parse(r.stdout) as {
    version: string;
    runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string }[] }[];
  };
  const schema = JSON.parse(
    readFileSync(
      join(ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'),
      'utf8',
    ),
  ) as object;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const validate = ajv.compile(schema);
  assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5)));
  assert.equal(sarif.version, '2.1.0');
  const results = sarif.runs[0]!.results;
  assert.ok(results.some((x) => x.ruleId === 'unknown-directive'));
  assert.ok(results.some((x) => x.ruleId === 'sandbox-protect-system' && x.level === 'warning'));
  const ids = new Set(sarif.runs[0]!.tool.driver.rules.map((x) => x.id));
  for (const x of results) assert.ok(ids.has(x.ruleId), x.ruleId);
});
