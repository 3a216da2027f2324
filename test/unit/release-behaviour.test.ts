/**
 * How each release scores beyond its check table (knowledge/release-behaviour.ts over assessors.json's
 * rowOrder and logic flags): one fixture per change between neighbouring releases, naming its systemd
 * commit (test/fixtures/release-behaviour/cases.json); the stored 239m, 247m and 249m answers hold the same
 * flags to the real managers on the whole corpus (conformance/stored-oracles.test.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { score, type ScoreResult } from '../../server/src/exposure/score';
import { releaseBehaviour, type ReleaseLogic } from '../../server/src/knowledge/release-behaviour';
import { buildUnit } from '../../server/src/model/build';
import { serviceTypeTable } from '../../server/src/model/values/service-settings';
import { ROOT } from '../helpers';

interface Want {
  set: boolean | null;
  description?: string;
  match?: string;
}
interface Case {
  commit: string;
  flag: keyof ReleaseLogic;
  lines: string[];
  unitLines?: string[];
  check: string;
  want: Record<string, Want>;
}
const { cases } = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/release-behaviour/cases.json'), 'utf8')) as {
  cases: Case[];
};

function scoreAt(version: number, serviceLines: readonly string[], unitLines: readonly string[] = []): ScoreResult {
  const text = ['[Unit]', ...unitLines, '[Service]', 'ExecStart=/usr/bin/true', ...serviceLines, ''].join('\n');
  const model = buildUnit('release.service', [{ path: '/etc/systemd/system/release.service', text }], {
    version,
    figure: 'running',
  });
  return score(model, { version });
}

for (const c of cases) {
  test(`${c.check} with ${c.lines.join(' ') || c.unitLines?.join(' ')}: ${c.commit}`, () => {
    const versions = Object.keys(c.want).map(Number);
    // The releases the case compares differ in the flag it names (the data says so, not only this file).
    const values = versions.map((v) => JSON.stringify(releaseBehaviour(v).logic[c.flag]));
    assert.ok(new Set(values).size > 1, `${c.flag} is the same in ${versions.join(', ')}`);
    for (const v of versions) {
      const want = c.want[String(v)]!;
      const row = scoreAt(v, c.lines, c.unitLines).checks.find((k) => k.name === c.check);
      assert.ok(row, `${v}: no ${c.check} row`);
      assert.equal(row.set, want.set, `${v}: set`);
      if (want.description !== undefined) assert.equal(row.description, want.description, `${v}: description`);
      if (want.match !== undefined) assert.match(row.description ?? '', new RegExp(want.match), `${v}: description`);
    }
  });
}

test('rows by weight, then name, before 250; by description, then name, from 250 (4b4a8ef741)', () => {
  assert.equal(releaseBehaviour(249).rowOrder, 'weight');
  assert.equal(releaseBehaviour(250).rowOrder, 'description');
  const lines = ['PrivateTmp=yes', 'NoNewPrivileges=yes'];
  const before = scoreAt(249, lines).checks;
  for (let i = 1; i < before.length; i++) {
    const [a, b] = [before[i - 1]!, before[i]!];
    assert.ok(a.weight > b.weight || (a.weight === b.weight && a.name < b.name), `249: ${a.name} before ${b.name}`);
  }
  const after = scoreAt(250, lines).checks;
  for (let i = 1; i < after.length; i++) {
    const [a, b] = [after[i - 1]!, after[i]!];
    const da = a.description ?? '';
    const db = b.description ?? '';
    assert.ok(da > db || (da === db && a.name < b.name), `250: ${a.name} before ${b.name}`);
  }
});

test('the running figure counts an IPAddressAllow= entry as localhost only as 127.0.0.0/8 or ::1/128 (ec16f3b6dd property_read_ip_address_allow())', () => {
  const at = (version: number, figure: 'offline' | 'running', allow: string) => {
    const text = `[Service]\nExecStart=/usr/bin/true\nIPAddressDeny=any\nIPAddressAllow=${allow}\n`;
    const model = buildUnit('ip.service', [{ path: '/etc/systemd/system/ip.service', text }], { version, figure });
    return score(model, { version }).checks.find((k) => k.name === 'IPAddressDeny=')!.description;
  };
  const only = 'Service defines IP address allow list with only localhost entries';
  const other = 'Service defines IP address allow list with non-localhost entries';
  // Measured on the 249, 254 and 262 managers, and 252 --offline=yes.
  for (const v of [249, 254, 262]) {
    assert.equal(at(v, 'running', '127.0.0.1'), other, `${v} running, 127.0.0.1`);
    assert.equal(at(v, 'running', '::1 127.0.0.0/8'), only, `${v} running, ::1 127.0.0.0/8`);
  }
  assert.equal(at(252, 'offline', '127.0.0.1'), only, '252 offline: in_addr_is_localhost() on the unit entry itself');
});

test('RestrictAddressFamilies=none is a word from 249; before, an unknown family name (the data: since 249)', () => {
  const lines = ['RestrictAddressFamilies=AF_UNIX', 'RestrictAddressFamilies=none'];
  const unix = (v: number) => scoreAt(v, lines).checks.find((k) => k.name === 'RestrictAddressFamilies=~AF_UNIX')!.set;
  assert.equal(unix(248), false, '248: AF_UNIX stays allowed');
  assert.equal(unix(249), true, '249: none allows nothing');
});

test('Type=notify-reload is a service type from 253 (3bd28bf721 pid1: add new Type=notify-reload service type)', () => {
  // The value tables of model/values were written for 252/254/257/262; 253 sits between them.
  const types = (v: number) => serviceTypeTable(v).words;
  assert.ok(!types(252).includes('notify-reload'));
  assert.ok(types(253).includes('notify-reload'));
  assert.ok(types(255).includes('notify-reload'));
});
