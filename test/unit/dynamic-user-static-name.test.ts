/**
 * dynamic-user-static-name: flagged only for names systemd always finds statically (root, numbers,
 * nobody), and its fix (an empty User= after whichever of User= and DynamicUser= systemd reads last)
 * leaves a unit that is no longer flagged.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeUnit, type SourceFile } from '../../server/src/service';
import { applyEdits } from '../../server/src/rules/sandbox';

const CODE = 'dynamic-user-static-name';

function analyse(
  unit: string,
  dropin?: string,
): { files: SourceFile[]; found: ReturnType<typeof analyzeUnit>['diagnostics'] } {
  const files: SourceFile[] = [{ path: '/lib/systemd/system/example.service', text: unit }];
  if (dropin !== undefined) files.push({ path: '/etc/systemd/system/example.service.d/override.conf', text: dropin });
  return {
    files,
    found: analyzeUnit({ name: 'example.service', files, version: 252 }).diagnostics.filter((d) => d.code === CODE),
  };
}

const flagged: [string, boolean][] = [
  ['root', true],
  ['0', true],
  ['33', true],
  ['nobody', true],
  ['www-data', false],
  ['app', false],
];
for (const [user, expected] of flagged) {
  test(`${CODE}: User=${user} with DynamicUser=yes is ${expected ? '' : 'not '}flagged`, () => {
    const { found } = analyse(`[Service]\nExecStart=/usr/bin/app\nDynamicUser=yes\nUser=${user}\n`);
    assert.equal(found.length, expected ? 1 : 0);
  });
}

test(`${CODE}: not without DynamicUser=yes`, () => {
  assert.equal(analyse('[Service]\nExecStart=/usr/bin/app\nUser=root\nDynamicUser=no\n').found.length, 0);
});

const fixes: [string, string, string | undefined, string, string][] = [
  [
    'User= after DynamicUser= in one file',
    '[Service]\nExecStart=/usr/bin/app\nDynamicUser=yes\nUser=root\n',
    undefined,
    'unit',
    '[Service]\nExecStart=/usr/bin/app\nDynamicUser=yes\nUser=root\nUser=\n',
  ],
  [
    'User= before DynamicUser= in one file',
    '[Service]\nExecStart=/usr/bin/app\nUser=0\nDynamicUser=yes\n',
    undefined,
    'unit',
    '[Service]\nExecStart=/usr/bin/app\nUser=0\nDynamicUser=yes\nUser=\n',
  ],
  [
    'User= in the unit, DynamicUser= in a drop-in',
    '[Service]\nExecStart=/usr/bin/app\nUser=root\n',
    '[Service]\nDynamicUser=yes\nPrivateTmp=yes\n',
    'dropin',
    '[Service]\nDynamicUser=yes\nUser=\nPrivateTmp=yes\n',
  ],
];
for (const [title, unit, dropin, edited, expected] of fixes) {
  test(`${CODE} fix: ${title}`, () => {
    const { files, found } = analyse(unit, dropin);
    assert.equal(found.length, 1);
    const fix = found[0]!.fixes?.[0];
    assert.ok(fix);
    const target = edited === 'unit' ? files[0]! : files[1]!;
    const after = applyEdits(
      target.text,
      fix.edits.filter((e) => e.file === target.path),
    );
    assert.equal(after, expected);
    const again = edited === 'unit' ? analyse(after, dropin) : analyse(unit, after);
    assert.equal(again.found.length, 0);
  });
}
