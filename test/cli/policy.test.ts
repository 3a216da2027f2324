/**
 * `--policy` files that are not JSON: the error gives the position and never quotes the content (a
 * mistaken path such as /etc/shadow must not reach stderr). The syntax check agrees with JSON.parse.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { jsonErrorOffset } from '../../server/src/cli/policy';
import { cli, writeUnder } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'sh-policy-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const unit = writeUnder(tmp, 'u.service', '[Service]\nExecStart=/bin/true\n');

const SECRET = 'root:$y$j9T$Zs3cr3tHashValue:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n';

const CASES: Array<{ text: string; at: string }> = [
  { text: SECRET, at: 'line 1, column 1' },
  { text: '{\n  "PrivateNetwork": {"weight": 0},\n  Zs3cr3t: 2\n}\n', at: 'line 3, column 3' },
  { text: '{"PrivateNetwork": {"weight": 0}', at: 'line 1, column 33' },
  { text: '{"a": "Zs3cr3t\u0001"}', at: 'line 1, column 15' },
  { text: '{"a": 1} Zs3cr3t', at: 'line 1, column 10' },
];

for (const c of CASES) {
  test(`policy: invalid JSON is reported by position without its content (${c.at})`, () => {
    const path = writeUnder(tmp, 'policy.json', c.text);
    const r = cli('score', '--policy', path, unit);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`policy ${path} is not valid JSON \\(at ${c.at}\\)`));
    assert.doesNotMatch(r.stderr, /Zs3cr3t|root:|daemon/);
  });
}

test('policy: the syntax check accepts exactly what JSON.parse accepts', () => {
  const samples = [
    '{}',
    '[]',
    ' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]} ',
    '"s"',
    '0',
    '-0.0E-1',
    '{"a":{"b":{"c":[]}}}',
    '',
    ' ',
    '{',
    '{"a"}',
    '{"a":}',
    '{"a":1,}',
    '[1,]',
    '01',
    '1.',
    '.5',
    '+1',
    'tru',
    'nul',
    '"\\x"',
    '"\\u12g4"',
    '{a:1}',
    "{'a':1}",
    '[1 2]',
    '"unterminated',
    '{"a":1}}',
    '\u00a0{}',
    'NaN',
    '-',
    '--1',
    '1e',
    '[',
    ']',
    '{"a":1 "b":2}',
  ];
  for (const s of samples) {
    let ok = true;
    try {
      JSON.parse(s);
    } catch {
      ok = false;
    }
    assert.equal(jsonErrorOffset(s) === -1, ok, JSON.stringify(s));
  }
});
