/**
 * `npm run bench`, exposure part. Numbers, not assertions.
 *
 *  (a) The CLI scoring the corpus's .service files in one process (`node dist/cli.js score --format
 *      json FILES...`, suggestions and diagnostics included) side by side with the real
 *      `systemd-analyze security --offline=yes --json=short` of 252, both over the same units copied
 *      into one flat folder, each in one process: wall times (median of 5) and their ratio.
 *  (b) In-process analysis per unit over the corpus: score() alone and suggest() (which scores the
 *      unit and every suggestion), each on a fresh model so nothing cached for a model is reused;
 *      median and p99 over the units of each unit's median. A warm process: what is kept per plan
 *      for all units (the drop-in parse, the change of score for units that leave the plan's
 *      settings unset, exposure/incremental/outcome-memo.ts) is filled by the warm-up rounds, as the corpus's
 *      first units fill it in the CLI's single pass (a). Also suggest() without its incremental seam
 *      (suggestByRebuilding(): every variant rebuilt and scored by score(), what the seam is held to),
 *      ssh.service, and an editor keystroke on a 300-line unit (analyzeDocument(): parse, model, rules,
 *      sandbox diagnostics and the exposure report).
 *
 * (b) runs the core bundled by esbuild as the CLI and the language server ship it (tsx adds a
 * wrapper per function and getters per import, which would make the numbers 1.5-2× worse).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSync } from 'esbuild';
import { corpusFiles, readBytes } from '../test/helpers';

const ROOT = resolve(__dirname, '..');

function stats(samples: readonly number[]): { median: number; p99: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]! };
}

const us = (x: number): string => `${x.toFixed(1)} µs`;

interface Core {
  buildUnit: typeof import('../server/src/model/build').buildUnit;
  parseUnitFile: typeof import('../server/src/syntax/parser').parseUnitFile;
  decodeBytes: typeof import('../server/src/service').decodeBytes;
  score: typeof import('../server/src/exposure/score').score;
  suggest: typeof import('../server/src/exposure/suggest').suggest;
  suggestByRebuilding: typeof import('../server/src/exposure/suggest').suggestByRebuilding;
  analyzeDocument: typeof import('../server/src/service').analyzeDocument;
  otherFigure: typeof import('../server/src/features/figures').otherFigure;
}

/** The core as esbuild bundles it. */
function bundledCore(): Core {
  const out = buildSync({
    stdin: {
      contents: [
        "export { buildUnit } from './server/src/model/build';",
        "export { parseUnitFile } from './server/src/syntax/parser';",
        "export { score } from './server/src/exposure/score';",
        "export { suggest, suggestByRebuilding } from './server/src/exposure/suggest';",
        "export { analyzeDocument, decodeBytes } from './server/src/service';",
        "export { otherFigure } from './server/src/features/figures';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    logLevel: 'error',
  });
  const dir = mkdtempSync(join(tmpdir(), 'sh-bench-'));
  const file = join(dir, 'core.js');
  writeFileSync(file, out.outputFiles[0]!.text);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as Core;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An editor keystroke on a 300-line unit: the whole document analysis, text to report (run first, on a small heap, as in an editor). */
function keystroke(core: Core, lines: string[]): void {
  const ssh = corpusFiles().find((f) => basename(f) === 'ssh.service');
  const base = ssh ? core.decodeBytes(readBytes(ssh)) : '[Service]\nExecStart=/usr/sbin/sshd -D\n';
  const body = base.trimEnd().split('\n');
  const extra = [
    '# tuning',
    'Environment=LANG=C.UTF-8',
    'LimitNOFILE=65536',
    'ReadWritePaths=/var/lib/ssh',
    'PrivateTmp=yes',
    'ProtectSystem=full',
  ];
  for (let i = 0; body.length < 299; i++) body.push(extra[i % extra.length]!);
  // The running manager's figure beside the file's, as the language server asks for it on every keystroke:
  // the unit as it is (the extra lines land in [Install]: the figures agree, only the check runs), and with
  // PrivateTmp=yes under [Service] (the figures differ at 252: the second score runs).
  const run = (lines: readonly string[]): { doc: number[]; figure: number[]; differ: boolean } => {
    const doc: number[] = [];
    const figure: number[] = [];
    let differ = false;
    for (let k = 0; k < 1100; k++) {
      const text = `${lines.join('\n')}\n# edit ${'x'.repeat(k % 40)}\n`;
      const t0 = performance.now();
      const a = core.analyzeDocument(
        { name: 'ssh.service', files: [{ path: '/etc/systemd/system/ssh.service', text }], version: 252 },
        { file: '/etc/systemd/system/ssh.service' },
      );
      const t1 = performance.now();
      differ = a.otherFigure !== null;
      if (k >= 100) {
        doc.push((t1 - t0) * 1000);
        figure.push((performance.now() - t1) * 1000);
      }
    }
    return { doc, figure, differ };
  };
  const plain = run(body);
  const service = body.indexOf('[Service]');
  const implied = run([...body.slice(0, service + 1), 'PrivateTmp=yes', ...body.slice(service + 1)]);
  const ks = stats(plain.doc);
  lines.push(
    `exposure, editor keystroke on a 300-line unit (analyzeDocument: parse, model, rules, sandbox diagnostics, report; 1,000 edits):`,
  );
  lines.push(`  median ${(ks.median / 1000).toFixed(2)} ms, p99 ${(ks.p99 / 1000).toFixed(2)} ms`);
  for (const [what, r] of [
    ['figures agree', plain],
    ['PrivateTmp=yes: figures differ', implied],
  ] as const) {
    const f = stats(r.figure);
    lines.push(
      `  + the running figure beside it (otherFigure, ${what}${r.differ ? '' : ', none shown'}): median ${us(f.median)}, p99 ${us(f.p99)}`,
    );
  }
}

function inProcess(core: Core, lines: string[]): void {
  const units = corpusFiles()
    .filter((f) => f.endsWith('.service'))
    .map((f) => {
      const name = basename(f);
      const path = `/lib/systemd/system/${name}`;
      const text = core.decodeBytes(readBytes(f));
      return { name, files: [{ path, text }], trees: new Map([[path, core.parseUnitFile(text)]]) };
    });
  // A fresh model each time (parsed trees reused: parsing is run.ts's subject).
  const fresh = (u: (typeof units)[number]) => core.buildUnit(u.name, u.files, { version: 252, trees: u.trees });
  for (let r = 0; r < 5; r++) for (const u of units) core.suggest(fresh(u));

  const ROUNDS = 9;
  const measure = (fn: (m: ReturnType<typeof fresh>) => unknown, rounds = ROUNDS): number[] =>
    units.map((u) => {
      const t: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const m = fresh(u);
        const t0 = performance.now();
        fn(m);
        t.push((performance.now() - t0) * 1000);
      }
      return stats(t).median;
    });
  const ssh = units.findIndex((u) => u.name === 'ssh.service');
  const scoreOnly = measure((m) => core.score(m));
  const withSuggestions = measure((m) => core.suggest(m));
  const scoreAndFigure = measure((m) => core.otherFigure(m, core.score(m)));
  const s = stats(scoreOnly);
  const sf = stats(scoreAndFigure);
  const w = stats(withSuggestions);
  const count = units.reduce((n, u) => n + core.suggest(fresh(u)).suggestions.length, 0);
  lines.push(
    `exposure, in process (bundled core, systemd 252, ${units.length} units, median of ${ROUNDS} runs each on a fresh model):`,
  );
  lines.push(
    `  score()                       per unit: median ${us(s.median)}, p99 ${us(s.p99)}; ssh.service ${us(scoreOnly[ssh] ?? NaN)}`,
  );
  lines.push(
    `  score() + otherFigure()       per unit: median ${us(sf.median)}, p99 ${us(sf.p99)} (the running figure beside the offline one)`,
  );
  lines.push(
    `  score + suggestions (suggest) per unit: median ${us(w.median)}, p99 ${us(w.p99)}; ssh.service ${us(withSuggestions[ssh] ?? NaN)} ` +
      `(${(count / units.length).toFixed(0)} suggestions per unit on average)`,
  );
  const rebuilding = stats(measure((m) => core.suggestByRebuilding(m), 3));
  lines.push(
    `  suggest() without the incremental seam (suggestByRebuilding, median of 3 runs) per unit: median ${us(rebuilding.median)}, p99 ${us(rebuilding.p99)}`,
  );
}

/** Wall time of a command in seconds (output discarded). */
function wall(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: 'ignore', env: env ?? process.env, maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  return (performance.now() - t0) / 1000;
}

function cliVersusOracle(lines: string[]): void {
  const cli = join(ROOT, 'dist', 'cli.js');
  const oracle = '/usr/bin/systemd-analyze';
  if (!existsSync(cli) || !existsSync(oracle)) {
    lines.push(
      `exposure, CLI vs systemd-analyze: skipped (${!existsSync(cli) ? 'run npm run build' : 'systemd-analyze 252 not installed'})`,
    );
    return;
  }
  const files = corpusFiles()
    .filter((f) => f.endsWith('.service'))
    .sort();
  // Not /dev/shm: the CLI refuses files under /dev as kernel files (it would time a run that scores nothing).
  const flat = mkdtempSync(join(tmpdir(), 'sh-bench-flat-'));
  try {
    const names = new Set<string>();
    const copies: string[] = [];
    for (const f of files) {
      let n = basename(f);
      for (let i = 1; names.has(n); i++) n = `dup${i}-${basename(f)}`;
      names.add(n);
      copyFileSync(f, join(flat, n));
      copies.push(join(flat, n));
    }
    const oracleEnv = { ...process.env, SYSTEMD_UNIT_PATH: '', LC_ALL: 'C.UTF-8' };
    const RUNS = 5;
    const ours: number[] = [];
    const theirs: number[] = [];
    // Both read the same flat copies (so neither sees the corpus's drop-ins).
    wall(process.execPath, [cli, 'score', '--format', 'json', ...copies]);
    wall(oracle, ['security', '--offline=yes', '--no-pager', '--json=short', ...copies], oracleEnv);
    for (let r = 0; r < RUNS; r++) {
      ours.push(wall(process.execPath, [cli, 'score', '--format', 'json', ...copies]));
      theirs.push(wall(oracle, ['security', '--offline=yes', '--no-pager', '--json=short', ...copies], oracleEnv));
    }
    const startup: number[] = [];
    for (let r = 0; r < RUNS; r++) startup.push(wall(process.execPath, [cli, '--help']));
    const a = stats(ours).median;
    const b = stats(theirs).median;
    lines.push(`exposure, one process over the corpus's ${files.length} .service files (median of ${RUNS} runs):`);
    lines.push(
      `  node dist/cli.js score --format json (with suggestions): ${a.toFixed(3)} s (start-up alone: ${stats(startup).median.toFixed(3)} s)`,
    );
    lines.push(
      `  systemd-analyze 252 security --offline=yes --json=short (same units, one flat folder): ${b.toFixed(3)} s`,
    );
    lines.push(`  ratio CLI / systemd-analyze: ${(a / b).toFixed(2)}`);
  } finally {
    rmSync(flat, { recursive: true, force: true });
  }
}

const lines: string[] = [];
const core = bundledCore();
keystroke(core, lines);
inProcess(core, lines);
cliVersusOracle(lines);
process.stdout.write(lines.join('\n') + '\n');
