/**
 * `npm run bench` (and `node --import tsx bench/hostile.ts [case] [n...]`): the core's entries on hostile
 * texts (test/hostile.ts) at growing sizes, each size in its own process with a time limit so a
 * blow-up shows as "over N s" instead of hanging the bench. Numbers, not assertions.
 *
 * Per size: the analysis (analyzeDocument: parse, model, rules, exposure), the diagnostics converted to
 * editor positions as the language server publishes them, code actions for the whole file (the first
 * request, which builds the unit-wide actions) and then for one line (a cursor move), hover and
 * completion in the middle of the file, and the process's peak memory.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { HOSTILE_CASES } from '../test/hostile';
import { analyzeDocument, codeActions, LineIndex } from '../server/src/service';
import { complete } from '../server/src/features/completion';
import { hover } from '../server/src/features/hover';

const LIMIT_S = 60;

function ms(fn: () => unknown): [number, unknown] {
  const t0 = performance.now();
  const r = fn();
  return [performance.now() - t0, r];
}

/** Runs one case at one size in this process and prints one line of JSON. */
function measure(caseName: string, n: number): void {
  const c = HOSTILE_CASES.find((h) => h.name === caseName)!;
  const text = c.make(n);
  const name = 'hostile.service';
  const files = [{ path: name, text }];
  const out: Record<string, number> = { bytes: text.length };
  const [tA, analysis] = ms(() => analyzeDocument({ name, files, version: 252 }, { file: name }));
  const a = analysis as ReturnType<typeof analyzeDocument>;
  out.analysis = tA;
  out.diagnostics = a.diagnostics.length;
  out.publish = ms(() => {
    const index = new LineIndex(text);
    return a.diagnostics.map((d) => ({ start: index.positionAt(d.span.start), end: index.positionAt(d.span.end) }));
  })[0];
  out.actionsFile = ms(() => codeActions(a, { start: 0, end: text.length }))[0];
  const middle = Math.floor(text.length / 2);
  const lineStart = Math.max(text.lastIndexOf('\n', middle), text.lastIndexOf('\r', middle)) + 1;
  out.actionsLine = ms(() => codeActions(a, { start: lineStart, end: lineStart }))[0];
  const ctx = { name, files, fileIndex: 0, offset: lineStart + 3, version: 252 as const };
  out.hover = ms(() => hover(ctx))[0];
  out.completion = ms(() => complete(ctx))[0];
  out.rssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(out) + '\n');
}

function row(caseName: string, piece: string, n: number): string {
  try {
    const json = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--one', caseName, String(n)], {
      timeout: LIMIT_S * 1000,
      encoding: 'utf8',
    });
    const r = JSON.parse(json.trim().split('\n').pop()!) as Record<string, number>;
    const f = (k: string): string => `${k} ${r[k]!.toFixed(r[k]! < 10 ? 1 : 0)} ms`;
    return `  ${n.toLocaleString('en')} × ${piece} (${(r.bytes! / 1e6).toFixed(2)} MB): ${['analysis', 'publish', 'actionsFile', 'actionsLine', 'hover', 'completion'].map(f).join(', ')}; ${r.diagnostics} diagnostics, peak ${r.rssMB!.toFixed(0)} MB`;
  } catch (e) {
    const err = e as { signal?: string; message: string };
    return `  ${n.toLocaleString('en')} × ${piece}: ${err.signal === 'SIGTERM' ? `over ${LIMIT_S} s` : `failed: ${err.message.split('\n')[0]}`}`;
  }
}

const args = process.argv.slice(2);
if (args[0] === '--one') measure(args[1]!, Number(args[2]));
else {
  const only = args[0];
  const sizes = args.slice(1).map(Number);
  process.stdout.write(`hostile texts (each size in its own process, limit ${LIMIT_S} s):\n`);
  for (const c of HOSTILE_CASES) {
    if (only && c.name !== only) continue;
    process.stdout.write(`${c.name}:\n`);
    for (const n of sizes.length ? sizes : [8_000, 16_000, 32_000])
      process.stdout.write(row(c.name, c.piece, n) + '\n');
  }
}
