/**
 * The preferred fixes of breaks-no-new-privileges and breaks-memory-deny-write-execute, applied to
 * their fixtures, give the drop-ins that booted healthy (test/boot/cases.json): NoNewPrivileges=no
 * after NoNewPrivileges=yes (sudo-app-nnp-fixed), the + prefix on the sudo command when another
 * setting implies the flag (sudo-app-syscall-filter-privileged), MemoryDenyWriteExecute=no after the
 * line (node-app-mdwe-fixed); and the unit is then flagged no more.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeUnit, type SourceFile } from '../../server/src/service';
import { applyEdits } from '../../server/src/rules/sandbox';
import { isMarker } from '../fixtures';

const DIR = join(__dirname, '..', 'fixtures', 'diagnostics');

function load(entry: string): { name: string; files: SourceFile[] } {
  const read = (p: string): string =>
    readFileSync(p, 'utf8')
      .split('\n')
      .filter((l) => !isMarker(l))
      .join('\n');
  const p = join(DIR, entry);
  if (!statSync(p).isDirectory()) return { name: 'x.service', files: [{ path: p, text: read(p) }] };
  const unit = readdirSync(p).find((f) => f.endsWith('.service'))!;
  const files = [{ path: join(p, unit), text: read(join(p, unit)) }];
  for (const f of readdirSync(join(p, `${unit}.d`)))
    files.push({ path: join(p, `${unit}.d`, f), text: read(join(p, `${unit}.d`, f)) });
  return { name: unit, files };
}

const CASES: [string, string, RegExp][] = [
  ['breaks-nnp-sudo', 'breaks-no-new-privileges', /^NoNewPrivileges=yes\nNoNewPrivileges=no$/m],
  ['breaks-nnp-implied-sudo.service', 'breaks-no-new-privileges', /^ExecStartPre=\+-\/usr\/bin\/sudo -n /m],
  ['breaks-nnp-dynamic-user.service', 'breaks-no-new-privileges', /^ExecReload=\+\/usr\/bin\/sudo -n /m],
  ['breaks-mdwe-node', 'breaks-memory-deny-write-execute', /^MemoryDenyWriteExecute=yes\nMemoryDenyWriteExecute=no$/m],
  [
    'breaks-mdwe-script-flag.service',
    'breaks-memory-deny-write-execute',
    /^MemoryDenyWriteExecute=true\nMemoryDenyWriteExecute=no$/m,
  ],
];

for (const [entry, code, fixed] of CASES) {
  test(`${code}: the preferred fix of ${entry} is the booted repair, and leaves nothing to flag`, () => {
    const { name, files } = load(entry);
    const d = analyzeUnit({ name, files, version: 252 }).diagnostics.find((x) => x.code === code);
    assert.ok(d, `${entry} is flagged ${code}`);
    const fix = d.fixes?.find((f) => f.preferred);
    assert.ok(fix, 'a preferred fix');
    for (const f of files)
      f.text = applyEdits(
        f.text,
        fix.edits.filter((e) => e.file === f.path),
      );
    assert.ok(
      files.some((f) => fixed.test(f.text)),
      files.map((f) => f.text).join('\n---\n'),
    );
    const after = analyzeUnit({ name, files, version: 252 }).diagnostics.filter((x) => x.code === code);
    assert.deepEqual(
      after.map((x) => x.message),
      [],
    );
  });
}
