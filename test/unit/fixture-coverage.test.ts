/**
 * Every diagnostic code of the rule catalog (server/src/rules/catalog.ts, the source of docs/rules.md)
 * has an annotated fixture under test/fixtures/diagnostics that expects it (test/unit/diagnostics.test.ts
 * checks each annotation), and every code a fixture expects is in the catalog.
 *
 * A few codes cannot be shown by a fixture; each is listed in ELSEWHERE with why and the file that
 * covers it instead (a test, or a fixture that shows its absence), and that file must name it. The list
 * is held exact: a code listed there that gains a fixture, or leaves the catalog, fails the test too.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { allRules } from '../../server/src/rules/catalog';
import { decodeBytes } from '../../server/src/service';
import { readExpectations } from '../fixtures';
import { ROOT, walkFiles } from '../helpers';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'diagnostics');

/** Codes no fixture can show: why, the file that covers them instead, and the text it must hold. */
const ELSEWHERE: Record<string, { why: string; file: string; names: string }> = {
  'line-too-long': {
    why: 'needs a line of 1 MiB, and its span is that whole line',
    file: 'test/unit/parser.test.ts',
    names: 'line-too-long',
  },
  'too-many-problems': {
    why: 'needs more than 500 problems in one file, each one annotated',
    file: 'test/unit/hostile-text.test.ts',
    names: 'too-many-problems',
  },
  'file-not-read': {
    why: 'the language server reports it for a file on disk it did not read (over 4 MiB, a FIFO, a device)',
    file: 'test/lsp/files.test.ts',
    names: 'file-not-read',
  },
  'file-links-elsewhere': {
    why: 'the language server reports it for a merged file on disk that is a symbolic link',
    file: 'test/lsp/files.test.ts',
    names: 'file-links-elsewhere',
  },
  'exposure-summary': {
    why: 'the language server adds it with the recommended drop-in, worked out once the editor is still',
    file: 'test/lsp/advice.test.ts',
    names: 'exposure-summary',
  },
  // Documented by the catalog (one entry per check), never shown by the core: the fix is held back
  // whenever the check is not at its best, or there is none. The fixture shows that no hint comes.
  'sandbox-keyring-mode': {
    why: 'at its best unless KeyringMode= is set, and a set KeyringMode= holds the fix back',
    file: 'test/fixtures/diagnostics/sandbox-on-purpose.service',
    names: 'KeyringMode=shared',
  },
  'sandbox-notify-access': {
    why: 'at its best unless NotifyAccess=all is set, which holds the fix back',
    file: 'test/fixtures/diagnostics/sandbox-on-purpose.service',
    names: 'NotifyAccess=all',
  },
  'sandbox-delegate': {
    why: 'at its best unless Delegate= is set, which holds the fix back',
    file: 'test/fixtures/diagnostics/sandbox-on-purpose.service',
    names: 'Delegate=yes',
  },
  'sandbox-root-directory-or-root-image': {
    why: "no fix: a root folder or image is the service's own (exposure/plans.ts)",
    file: 'test/fixtures/diagnostics/sandbox-unhardened.service',
    names: '[Service]',
  },
};

function expectedCodes(): Map<string, string[]> {
  const where = new Map<string, string[]>();
  for (const f of walkFiles(FIXTURES)) {
    for (const e of readExpectations(decodeBytes(readFileSync(f))).expected) {
      const list = where.get(e.code) ?? [];
      if (!where.has(e.code)) where.set(e.code, list);
      list.push(f.slice(FIXTURES.length + 1));
    }
  }
  return where;
}

test('every code of the rule catalog has an annotated fixture that expects it (or is listed in ELSEWHERE)', () => {
  const fixtures = expectedCodes();
  const missing = allRules()
    .map((r) => r.code)
    .filter((c) => !fixtures.has(c) && !(c in ELSEWHERE));
  assert.deepEqual(missing, [], `codes with no fixture in test/fixtures/diagnostics: ${missing.join(', ')}`);
});

test('every code a fixture expects is in the rule catalog', () => {
  const catalog = new Set(allRules().map((r) => r.code));
  const unknown = [...expectedCodes()]
    .filter(([c]) => !catalog.has(c))
    .map(([c, files]) => `${c} (${files.join(', ')})`);
  assert.deepEqual(unknown, []);
});

test('ELSEWHERE is exact: each code is in the catalog, has no fixture, and its file names it', () => {
  const catalog = new Set(allRules().map((r) => r.code));
  const fixtures = expectedCodes();
  for (const [code, { file, names }] of Object.entries(ELSEWHERE)) {
    assert.ok(catalog.has(code), `${code} is not in the catalog any more: drop it from ELSEWHERE`);
    assert.ok(
      !fixtures.has(code),
      `${code} has a fixture now (${fixtures.get(code)?.join(', ')}): drop it from ELSEWHERE`,
    );
    const path = join(ROOT, file);
    assert.ok(existsSync(path), `${code}: ${file} does not exist`);
    assert.ok(readFileSync(path, 'utf8').includes(names), `${code}: ${file} does not hold "${names}"`);
  }
});
