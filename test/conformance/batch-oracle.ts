/**
 * Many units scored by one real systemd-analyze process: the units (each under a unique name, with
 * its drop-in folders) are written into one flat folder, and `systemd-analyze security --offline=yes`
 * gets all their paths, with SYSTEMD_UNIT_PATH set empty so only that folder is searched (see
 * shared/research/oracle.md, "batch mode": one flat folder of uniquely named units gives the same
 * answers as one process per unit).
 *
 * One more pitfall: one manager refuses a second service with the same BusName= ("Two services
 * allocated for the same bus name …, refusing operation"), so units that share a bus name go to
 * different batches (`exclusive`).
 *
 * The overall exposure is read from the table form (`→ Overall exposure level for NAME: 9.6 …`),
 * the only place it appears. The JSON form skips units that fail to load, so it is asked only for
 * the units the table run scored, and must then give exactly one array per unit, in order.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { encodeText } from '../../server/src/syntax/bytes';
import { analysedUnitName } from '../../server/src/model/security-inputs';
import type { OracleCheckRow } from './exposure-oracle';

export interface BatchUnit {
  /** The unit to analyse: its file (or, for an instance, its template's) is among `files`. */
  name: string;
  /** Files relative to the batch folder: `s17-foo.service`, `s17-foo.service.d/x.conf`. */
  files: ReadonlyArray<{ name: string; text: string }>;
  /** Units with the same key must not share a process (the bus name of a service). */
  exclusive?: string | null;
}

export interface BatchResult {
  /** By the name given: overall exposure in tenths, or null when systemd refused the unit. */
  overall: Map<string, number | null>;
  /** By the name given, for scored units, when JSON was asked for: the rows with the debug columns. */
  rows: Map<string, OracleCheckRow[]>;
  stderr: string;
}

/** A scratch folder on tmpfs when there is one. */
function scratchRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

function run(
  bin: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), status }),
    );
  });
}

const OVERALL = /^(?:→|->) Overall exposure level for (\S+): (\d+)\.(\d) /;

/** Scores the units with one process for the table form (and one for JSON). Names must be unique. */
export async function analyseBatch(
  bin: string,
  version: number,
  units: readonly BatchUnit[],
  options: { json?: boolean; user?: boolean } = {},
): Promise<BatchResult> {
  const dir = mkdtempSync(join(scratchRoot(), 'sh-batch-'));
  let runtime: string | null = null;
  try {
    const made = new Set<string>();
    for (const u of units) {
      for (const f of u.files) {
        const p = join(dir, f.name);
        const d = dirname(p);
        if (d !== dir && !made.has(d)) {
          mkdirSync(d, { recursive: true });
          made.add(d);
        }
        writeFileSync(p, encodeText(f.text));
      }
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LC_ALL: 'C.UTF-8',
      SYSTEMD_LOG_COLOR: '0',
      SYSTEMD_PAGER: '',
      SYSTEMD_UNIT_PATH: '',
    };
    delete env.SYSTEMD_ANALYZE_DEBUG;
    // The user manager needs a runtime folder even offline ("Failed to lookup RuntimeDirectory path"). Not
    // under /dev/shm: it rewrites PIDFile=/run/… into it, and ignores a PID file below an API file system.
    const scope: string[] = [];
    if (options.user) {
      runtime = mkdtempSync(join(tmpdir(), 'sh-runtime-'));
      env.XDG_RUNTIME_DIR = runtime;
      scope.push('--user');
    }
    const table = await run(
      bin,
      ['security', '--offline=yes', '--no-pager', ...scope, ...units.map((u) => join(dir, u.name))],
      env,
      dir,
    );
    const scored = new Map<string, number>();
    for (const line of table.stdout.split('\n')) {
      const m = OVERALL.exec(line);
      if (m) scored.set(m[1]!, Number(m[2]) * 10 + Number(m[3]));
    }
    const overall = new Map<string, number | null>();
    const loaded: BatchUnit[] = [];
    for (const u of units) {
      const t = scored.get(analysedUnitName(u.name, version));
      overall.set(u.name, t ?? null);
      if (t !== undefined) loaded.push(u);
    }
    const rows = new Map<string, OracleCheckRow[]>();
    if (options.json && loaded.length) {
      const r = await run(
        bin,
        ['security', '--offline=yes', '--no-pager', '--json=short', ...scope, ...loaded.map((u) => join(dir, u.name))],
        { ...env, SYSTEMD_ANALYZE_DEBUG: '1' },
        dir,
      );
      const arrays = r.stdout.split('\n').filter((l) => l.startsWith('['));
      if (arrays.length !== loaded.length)
        throw new Error(
          `systemd-analyze ${version} printed ${arrays.length} JSON arrays for ${loaded.length} units that loaded:\n${r.stderr.slice(0, 2000)}`,
        );
      loaded.forEach((u, i) => rows.set(u.name, JSON.parse(arrays[i]!) as OracleCheckRow[]));
    }
    return { overall, rows, stderr: table.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (runtime) rmSync(runtime, { recursive: true, force: true });
  }
}

/** Runs the batches, a few at a time (one per core). */
export async function analyseBatches(
  bin: string,
  version: number,
  batches: ReadonlyArray<readonly BatchUnit[]>,
  options: { json?: boolean; user?: boolean } = {},
): Promise<BatchResult[]> {
  const out: BatchResult[] = new Array(batches.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const i = next++;
      out[i] = await analyseBatch(bin, version, batches[i]!, options);
    }
  };
  const n = Math.max(1, Math.min(Number(process.env.ORACLE_JOBS) || availableParallelism(), batches.length));
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}

/** Splits units into batches of at most `size`, no two with the same `exclusive` key in one batch. */
export function packBatches(units: readonly BatchUnit[], size: number): BatchUnit[][] {
  const batches: Array<{ units: BatchUnit[]; keys: Set<string> }> = [];
  let fill = 0; // the first batch that may have room
  const nextFor = new Map<string, number>();
  for (const u of units) {
    const key = u.exclusive ?? null;
    let i = key === null ? fill : Math.max(fill, nextFor.get(key) ?? 0);
    for (; ; i++) {
      if (i >= batches.length) batches.push({ units: [], keys: new Set() });
      const b = batches[i]!;
      if (b.units.length < size && (key === null || !b.keys.has(key))) break;
    }
    const b = batches[i]!;
    b.units.push(u);
    if (key !== null) {
      b.keys.add(key);
      nextFor.set(key, i + 1);
    }
    while (fill < batches.length && batches[fill]!.units.length >= size) fill++;
  }
  return batches.map((b) => b.units);
}
