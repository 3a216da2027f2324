/**
 * Hostile text: every case of test/hostile.ts must cost the core about linear work, through everything
 * an editor asks (analysis, published positions, code actions, hover, completion), and no file shows
 * more than MAX_DIAGNOSTICS_PER_FILE diagnostics plus one summary.
 *
 * Linearity is judged on CPU time, with a generous factor so that a busy machine does not fail it:
 * 4 times the text may cost at most 10 times as much, plus 50 ms for fixed costs (linear work is 4
 * times; quadratic work, once it dominates, 16 times: the quadratic code this test was written
 * for cost 13 to 100 times as much, at the sizes each case is measured at). Each size is measured three times, interleaved, and the
 * cheapest run counts; every run starts with a different comment line so that no cache keyed by the
 * text serves a repeat.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildUnit } from '../../server/src/model/build';
import { runRules } from '../../server/src/rules';
import { directivesIn } from '../../server/src/knowledge/directives';
import { analyzeDocument, analyzeUnit, MAX_DIAGNOSTICS_PER_FILE, type Diagnostic } from '../../server/src/service';
import { directiveDiagnostics } from '../../server/src/rules/directives';
import { editorWork, HOSTILE_CASES, UNIT } from '../hostile';

const N = 3000;
const GROWTH_LIMIT = 10;
const SLACK_MS = 50;

function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

/** The cheapest of three runs of the editor's work on the case at n and at 4n, interleaved. */
function costs(make: (n: number) => string, size: number): { n: number; n4: number } {
  let n = Infinity;
  let n4 = Infinity;
  for (let run = 0; run < 3; run++) {
    const small = `# run ${run}\n` + make(size);
    const large = `# run ${run}\n` + make(4 * size);
    n = Math.min(
      n,
      cpuMs(() => editorWork(small)),
    );
    n4 = Math.min(
      n4,
      cpuMs(() => editorWork(large)),
    );
  }
  return { n, n4 };
}

function summaries(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.code === 'too-many-problems');
}

// Warm the JIT up on every case so the first measurement is not mostly compilation.
for (const c of HOSTILE_CASES) editorWork(c.make(200));

for (const c of HOSTILE_CASES) {
  test(`hostile text: ${c.name} costs linear work`, () => {
    const size = c.testSize ?? N;
    const { n, n4 } = costs(c.make, size);
    const detail = `${size} × ${c.piece}: ${n.toFixed(0)} ms, ${4 * size}: ${n4.toFixed(0)} ms`;
    assert.ok(
      n4 < GROWTH_LIMIT * n + SLACK_MS,
      `4 times the text cost ${(n4 / n).toFixed(1)} times as much (${detail})`,
    );
  });

  test(`hostile text: ${c.name} shows at most ${MAX_DIAGNOSTICS_PER_FILE} diagnostics and a summary`, () => {
    const text = c.make(4 * N);
    const analysis = analyzeDocument({ name: UNIT, files: [{ path: UNIT, text }], version: 252 }, { file: UNIT });
    assert.ok(
      analysis.diagnostics.length <= MAX_DIAGNOSTICS_PER_FILE + 1,
      `${analysis.diagnostics.length} diagnostics`,
    );
    const all = runRules(buildUnit(UNIT, [{ path: UNIT, text }], { version: 252 }));
    const shown = analyzeUnit({ name: UNIT, files: [{ path: UNIT, text }], version: 252 }).diagnostics;
    if (all.length <= MAX_DIAGNOSTICS_PER_FILE) assert.deepEqual(shown, all);
    else {
      assert.equal(shown.length, MAX_DIAGNOSTICS_PER_FILE + 1);
      const [summary, ...more] = summaries(shown);
      assert.equal(more.length, 0);
      assert.equal(summary!.severity, 'information');
      assert.match(
        summary!.message,
        new RegExp(`^${all.length - MAX_DIAGNOSTICS_PER_FILE} more problems in this file are not shown`),
      );
    }
  });
}

test('hostile text: 200,000 lines without = give a summary, not a stack overflow', () => {
  const text = '[Service]\n' + 'junk\n'.repeat(200_000);
  const { diagnostics } = analyzeUnit({ name: UNIT, files: [{ path: UNIT, text }], version: 252 });
  assert.equal(diagnostics.length, MAX_DIAGNOSTICS_PER_FILE + 1);
  assert.match(
    summaries(diagnostics)[0]!.message,
    /^199500 more problems in this file are not shown \(systemd-hardening shows the first 500, errors first\)\.$/,
  );
});

test('diagnostic cap: exactly the limit shows everything; one more gives a summary on the problem left out', () => {
  const unit = (n: number): string => '[Service]\nExecStart=/bin/true\n' + 'junk\n'.repeat(n);
  const at = (n: number): Diagnostic[] =>
    analyzeUnit({ name: UNIT, files: [{ path: UNIT, text: unit(n) }], version: 252 }).diagnostics;
  assert.equal(at(MAX_DIAGNOSTICS_PER_FILE).length, MAX_DIAGNOSTICS_PER_FILE);
  assert.equal(summaries(at(MAX_DIAGNOSTICS_PER_FILE)).length, 0);
  const over = at(MAX_DIAGNOSTICS_PER_FILE + 1);
  assert.equal(over.length, MAX_DIAGNOSTICS_PER_FILE + 1);
  const summary = summaries(over)[0]!;
  assert.equal(
    summary.message,
    '1 more problem in this file is not shown (systemd-hardening shows the first 500, errors first).',
  );
  const lastLine = unit(MAX_DIAGNOSTICS_PER_FILE + 1).lastIndexOf('junk');
  assert.deepEqual(summary.span, { start: lastLine, end: lastLine });
  assert.equal(over[over.length - 1], summary);
});

test('diagnostic cap: errors are kept before warnings, and each file is capped on its own', () => {
  const unitText = '[Service]\nExecStart=/bin/true\n' + 'junk\n'.repeat(1000) + '[Broken\n';
  const dropin = '[Service]\n' + 'junk\n'.repeat(10);
  const files = [
    { path: '/etc/systemd/system/x.service', text: unitText },
    { path: '/etc/systemd/system/x.service.d/a.conf', text: dropin },
  ];
  const { diagnostics } = analyzeUnit({ name: 'x.service', files, version: 252 });
  const inUnit = diagnostics.filter((d) => d.file === files[0]!.path);
  assert.equal(inUnit.length, MAX_DIAGNOSTICS_PER_FILE + 1);
  assert.ok(inUnit.some((d) => d.code === 'invalid-section-header' && d.severity === 'error'));
  assert.match(summaries(inUnit)[0]!.message, /^501 more problems/);
  assert.equal(diagnostics.filter((d) => d.file === files[1]!.path).length, 10);
});

/** Distinct typos (neighbouring letters swapped) of [Service] directives, each close enough to get a guess. */
function typos(count: number): string[] {
  const names = directivesIn('Service', 252)
    .map((d) => d.name)
    .filter((n) => n.length >= 10);
  const swap = (s: string, i: number): string => s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  const out = new Set<string>();
  for (let i = 2; out.size < count && i < 9; i++)
    for (const n of names) if (n[i] !== n[i + 1] && !names.includes(swap(n, i))) out.add(swap(n, i));
  return [...out].slice(0, count);
}

test('did you mean: every shown unknown directive gets its guess when there are more than the cap', () => {
  const keys = typos(2 * MAX_DIAGNOSTICS_PER_FILE);
  assert.equal(keys.length, 2 * MAX_DIAGNOSTICS_PER_FILE);
  const text = '[Service]\nExecStart=/bin/true\n' + keys.map((k) => `${k}=1\n`).join('');
  const { diagnostics } = analyzeUnit({ name: UNIT, files: [{ path: UNIT, text }], version: 252 });
  const unknown = diagnostics.filter((d) => d.code === 'unknown-directive');
  assert.equal(unknown.length, MAX_DIAGNOSTICS_PER_FILE);
  for (const d of unknown) assert.match(d.message, /Did you mean \w+=\?$/, d.message);
});

test('did you mean: guesses are made for the first distinct keys a file can show, not for every key', () => {
  // Each guess compares the key with every directive of its section; past the cap nobody sees them.
  const keys = typos(MAX_DIAGNOSTICS_PER_FILE + 20);
  const text = '[Service]\nExecStart=/bin/true\n' + [...keys, ...keys].map((k) => `${k}=1\n`).join('');
  const model = buildUnit(UNIT, [{ path: UNIT, text }], { version: 252 });
  const unknown = directiveDiagnostics(model, model.files[0]!).filter((d) => d.code === 'unknown-directive');
  assert.equal(unknown.length, 2 * keys.length);
  const guessed = unknown.map((d) => /Did you mean/.test(d.message));
  // The first 500 distinct keys are guessed, and so are their repetitions; the 20 after them are not.
  assert.deepEqual(
    guessed,
    [...keys, ...keys].map((k) => keys.indexOf(k) < MAX_DIAGNOSTICS_PER_FILE),
  );
});
