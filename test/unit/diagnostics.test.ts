/**
 * Every fixture under test/fixtures/diagnostics: the diagnostics the core reports must be exactly the
 * ones marked in the file (see test/fixtures.ts). A folder holds a unit and its drop-ins. A file with
 * the header `# editor: yes` is the document open in the editor: the unit is analysed with its exposure
 * and that file gets the sandbox hints.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { test } from 'node:test';
import {
  analyzeDocument,
  analyzeUnit,
  decodeBytes,
  dropinsBeside,
  FileSet,
  isSupportedVersion,
  LineIndex,
  type SourceFile,
} from '../../server/src/service';
import { readExpectations } from '../fixtures';
import { walkFiles } from '../helpers';

const DIR = join(__dirname, '..', 'fixtures', 'diagnostics');

/** A fixture file as the CLI reads it: invalid UTF-8 kept (as lone surrogates), NUL bytes kept. */
const read = (path: string): string => decodeBytes(readFileSync(path));

function cases(): { title: string; name: string; files: SourceFile[] }[] {
  const out: { title: string; name: string; files: SourceFile[] }[] = [];
  for (const entry of readdirSync(DIR).sort()) {
    const p = join(DIR, entry);
    if (statSync(p).isDirectory()) {
      const all = [...walkFiles(p)];
      const unit = all.find((f) => !f.endsWith('.conf'))!;
      const name = readExpectations(read(unit)).name ?? basename(unit);
      const dropins = dropinsBeside(unit, name, new FileSet(all));
      out.push({ title: entry, name, files: [unit, ...dropins].map((f) => ({ path: f, text: read(f) })) });
    } else {
      const text = read(p);
      out.push({ title: entry, name: readExpectations(text).name ?? entry, files: [{ path: p, text }] });
    }
  }
  return out;
}

for (const c of cases()) {
  test(`diagnostics: ${c.title}`, () => {
    const header = readExpectations(c.files[0]!.text);
    const version = header.version ?? 252;
    assert.ok(isSupportedVersion(version));
    const edited = c.files.find((f) => readExpectations(f.text).editor);
    const input = { name: c.name, files: c.files, version };
    const { diagnostics } = edited ? analyzeDocument(input, { file: edited.path }) : analyzeUnit(input);
    for (const f of c.files) {
      const index = new LineIndex(f.text);
      const actual = diagnostics
        .filter((d) => d.file === f.path)
        .map((d) => {
          const s = index.positionAt(d.span.start);
          const e = index.positionAt(d.span.end);
          return {
            line: s.line,
            start: s.character,
            end: e.line === s.line ? e.character : -1,
            code: d.code,
            severity: d.severity,
            message: d.message,
          };
        });
      const expected = readExpectations(f.text).expected;
      const where = relative(DIR, f.path);
      const show = (x: { line: number; start: number; end: number; code: string; severity: string }): string =>
        `${where}:${x.line + 1}:${x.start}-${x.end} ${x.code} ${x.severity}`;
      assert.deepEqual(actual.map(show).sort(), expected.map(show).sort());
      for (const e of expected) {
        if (!e.contains) continue;
        const d = actual.find((a) => a.line === e.line && a.start === e.start && a.code === e.code)!;
        assert.ok(d.message.includes(e.contains), `${show(e)}: message "${d.message}" lacks "${e.contains}"`);
      }
    }
  });
}
