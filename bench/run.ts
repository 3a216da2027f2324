/**
 * `npm run bench`: how long the core takes per unit over the shared corpus, and how it grows with file size.
 * Prints medians and 99th percentiles in microseconds. Numbers, not assertions.
 */
import { performance } from 'node:perf_hooks';
import { buildUnit } from '../server/src/model/build';
import { analyzeDocument, analyzeUnit, codeActions, decodeBytes, parseUnitFile } from '../server/src/service';
import { corpusFiles, readBytes } from '../test/helpers';
import { HOSTILE_CASES, middleLineStart, UNIT } from '../test/hostile';

function stats(samples: number[]): { median: number; p99: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]! };
}

function time(fn: () => void, rounds: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    out.push((performance.now() - t0) * 1000);
  }
  return out;
}

const units = corpusFiles()
  .filter((f) => f.endsWith('.service'))
  .map((f) => ({ name: f.slice(f.lastIndexOf('/') + 1), text: decodeBytes(readBytes(f)) }));

// Warm up the JIT and the knowledge tables.
for (let i = 0; i < 3; i++)
  for (const u of units) analyzeUnit({ name: u.name, files: [{ path: u.name, text: u.text }], version: 252 });

const ROUNDS = 20;
const parseModel: number[] = [];
const full: number[] = [];
for (const u of units) {
  const files = [{ path: u.name, text: u.text }];
  const a = time(() => buildUnit(u.name, files, { version: 252 }), ROUNDS);
  const b = time(() => analyzeUnit({ name: u.name, files, version: 252 }), ROUNDS);
  parseModel.push(stats(a).median);
  full.push(stats(b).median);
}
const pm = stats(parseModel);
const fa = stats(full);
const lines: string[] = [];
lines.push(`corpus: ${units.length} units, median of ${ROUNDS} runs each`);
lines.push(`  parse+model        per unit: median ${pm.median.toFixed(1)} µs, p99 ${pm.p99.toFixed(1)} µs`);
lines.push(`  parse+model+rules  per unit: median ${fa.median.toFixed(1)} µs, p99 ${fa.p99.toFixed(1)} µs`);

const entryPool = units.flatMap((u) => u.text.split('\n').filter((l) => /^[A-Z][A-Za-z]+=/.test(l)));
for (const n of [1_000, 5_000, 10_000]) {
  const body = ['[Unit]', 'Description=big', '[Service]'];
  for (let i = 0; body.length < n; i++) body.push(i % 10 === 0 ? '# comment' : entryPool[i % entryPool.length]!);
  const text = body.join('\n') + '\n';
  const files = [{ path: 'big.service', text }];
  const p = stats(time(() => parseUnitFile(text), 30));
  const m = stats(time(() => buildUnit('big.service', files, { version: 252 }), 30));
  const f = stats(time(() => analyzeUnit({ name: 'big.service', files, version: 252 }), 30));
  lines.push(
    `${n.toLocaleString('en')}-line file: parse ${(p.median / 1000).toFixed(2)} ms, parse+model ${(m.median / 1000).toFixed(2)} ms, parse+model+rules ${(f.median / 1000).toFixed(2)} ms (medians)`,
  );
}

// Code actions: editors ask on every cursor move. The first request of an analysis builds the unit-wide
// actions (ReadWritePaths=, safe set, move to a drop-in: each a pass over the unit); later ones reuse them.
{
  const text = HOSTILE_CASES.find((c) => c.name === 'read-write-paths')!.make(32_000);
  const files = [{ path: UNIT, text }];
  const analysis = analyzeDocument({ name: UNIT, files, version: 252 }, { file: UNIT });
  const middle = middleLineStart(text);
  const first = time(() => codeActions(analysis, { start: middle, end: middle }), 1)[0]!;
  const moves = stats(time(() => codeActions(analysis, { start: middle, end: middle }), 50));
  lines.push(
    `code actions on a 32,000-line unit (ReadWritePaths= lines, ${(text.length / 1e6).toFixed(2)} MB): first request ${(first / 1000).toFixed(1)} ms, each cursor move after it: median ${moves.median.toFixed(0)} µs`,
  );
}
process.stdout.write(lines.join('\n') + '\n');
void import('./exposure').then(() => import('./cli'));
