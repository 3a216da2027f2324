/**
 * `npm run bench`: how long the core takes per unit over the shared corpus, and how it grows with file size.
 * Prints medians and 99th percentiles in microseconds. Numbers, not assertions.
 */
import { performance } from 'node:perf_hooks';
import { buildUnit } from '../server/src/model/build';
import { analyzeUnit, decodeBytes, parseUnitFile } from '../server/src/service';
import { corpusFiles, readBytes } from '../test/helpers';

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
for (let i = 0; i < 3; i++) for (const u of units) analyzeUnit({ name: u.name, files: [{ path: u.name, text: u.text }], version: 252 });

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
  lines.push(`${n.toLocaleString('en')}-line file: parse ${(p.median / 1000).toFixed(2)} ms, parse+model ${(m.median / 1000).toFixed(2)} ms, parse+model+rules ${(f.median / 1000).toFixed(2)} ms (medians)`);
}
process.stdout.write(lines.join('\n') + '\n');
void import('./exposure').then(() => import('./cli'));
