/**
 * `check` on a folder whose unit has many drop-ins does linear work: each file of the unit is read
 * once for the whole run, not once per drop-in reported. Counted (opens of the folder's files), not timed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, mock, test } from 'node:test';
import { checkPaths } from '../../server/src/cli/check';
import { writeUnder } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'sh-scale-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('check: a folder with a unit and 300 drop-ins reads each file once and reports each file', () => {
  const N = 300;
  writeUnder(tmp, 'big.service', '[Service]\nExecStart=/bin/true\n');
  for (let i = 0; i < N; i++)
    writeUnder(
      tmp,
      `big.service.d/${String(i).padStart(4, '0')}.conf`,
      `[Service]\nEnvironment=A${i}=1\nDescription=misplaced\n`,
    );
  const opened = new Map<string, number>();
  const real = fs.openSync;
  mock.method(fs, 'openSync', (path: fs.PathLike, ...rest: unknown[]) => {
    const p = String(path);
    if (p.includes('sh-scale-')) opened.set(p, (opened.get(p) ?? 0) + 1);
    return (real as (...a: unknown[]) => number)(path, ...rest);
  });
  let reports;
  try {
    reports = checkPaths([tmp], 252).reports;
  } finally {
    mock.restoreAll();
  }
  assert.equal(reports.length, N + 1);
  assert.deepEqual(reports[0]!.diagnostics, []);
  for (const r of reports.slice(1))
    assert.deepEqual(
      r.diagnostics.map((d) => d.code),
      ['misplaced-directive'],
      r.file,
    );
  assert.equal(opened.size, N + 1, 'every file of the unit is read');
  const most = Math.max(...opened.values());
  assert.equal(most, 1, `a file was opened ${most} times`);
});
