/**
 * The CLI's two figures (`--running`, `--offline`, the release's default), data-driven:
 *  - the corpus units whose running figure (the stored answers of systemd 252's own manager,
 *    ../shared/corpus/oracle-252m.jsonl) differs from the file's (oracle.jsonl, `--offline=yes`), and as
 *    many where they agree: `score --format json` gives each figure's exposure;
 *  - what each output format says about the figure (test/fixtures/figures/cli-text.json);
 *  - `--offline` refused for a release without an offline figure (before 250), from the figures data.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import data from '../../server/data/assessors.json';
import { UsageError } from '../../server/src/cli/args';
import { figureOption } from '../../server/src/cli/figure';
import { hardeningService } from '../../server/src/service';
import { CORPUS, ROOT } from '../helpers';
import { skipUnless } from '../requirements';
import { cli, writeUnder } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'sh-figures-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Answer {
  path: string;
  package: string;
  unit: string;
  dropins: string[];
  exposure: number | null;
}

function answers(file: string): Map<string, Answer> {
  const out = new Map<string, Answer>();
  for (const line of readFileSync(join(CORPUS, file), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const a = JSON.parse(line) as Answer;
    if (a.dropins.length === 0) out.set(`${a.package}/${a.path}`, a);
  }
  return out;
}

/** Plain (no drop-in) corpus units both oracles scored: every one whose figures differ, and as many that agree. */
function corpusCases(): { file: string; offline: number; running: number }[] {
  const offline = answers('oracle.jsonl');
  const running = answers('oracle-252m.jsonl');
  const differ: { file: string; offline: number; running: number }[] = [];
  const agree: typeof differ = [];
  for (const [key, r] of running) {
    const o = offline.get(key);
    if (!o || o.exposure === null || r.exposure === null) continue;
    (o.exposure === r.exposure ? agree : differ).push({
      file: join(CORPUS, 'units', key),
      offline: o.exposure,
      running: r.exposure,
    });
  }
  return [...differ, ...agree.slice(0, differ.length)];
}

test(
  'score --format json: the default (offline) figure equals systemd 252 --offline=yes, --running its manager, on the corpus units where they differ and as many where they agree',
  { skip: skipUnless('corpus') },
  () => {
    const cases = corpusCases();
    assert.ok(cases.length >= 100, `${cases.length} cases`);
    // Each unit alone in a folder of its own, so no other unit's drop-ins come in.
    const paths = cases.map((c, i) => {
      const dir = join(tmp, 'corpus', String(i));
      mkdirSync(dir, { recursive: true });
      const p = join(dir, basename(c.file));
      copyFileSync(c.file, p);
      return p;
    });
    const differing = cases.filter((c) => c.offline !== c.running).length;
    assert.ok(differing >= 50, `${differing} units differ`);
    for (const [args, figure, want] of [
      [[], 'offline', (c: (typeof cases)[number]) => c.offline],
      [['--offline'], 'offline', (c: (typeof cases)[number]) => c.offline],
      [['--running'], 'running', (c: (typeof cases)[number]) => c.running],
    ] as const) {
      const r = cli('score', '--format', 'json', ...args, ...paths);
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      const out = JSON.parse(r.stdout) as { file: string; figure: string; exposure: number | null }[];
      assert.equal(out.length, cases.length);
      const wrong = out
        .map((o, i) => ({ o, c: cases[i]! }))
        .filter(({ o, c }) => o.figure !== figure || o.exposure !== want(c))
        .map(({ o, c }) => `${c.file}: ${o.figure} ${o.exposure}, want ${figure} ${want(c)}`);
      assert.deepEqual(wrong, [], `${args.join(' ') || '(default)'}: ${wrong.length} of ${cases.length} wrong`);
    }
  },
);

interface TextCase {
  name: string;
  command: string;
  args: string[];
  status: number;
  stdout: string[];
  stderr?: string[];
}
const textCases = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/figures/cli-text.json'), 'utf8')) as {
  unit: string;
  cases: TextCase[];
};
const webUnit = writeUnder(tmp, 'text/web.service', textCases.unit);

for (const c of textCases.cases) {
  test(`figure in the output: ${c.name}`, () => {
    const r = cli(c.command, ...c.args, webUnit);
    assert.equal(r.status, c.status, r.stderr);
    for (const p of c.stdout) assert.match(r.stdout, new RegExp(p));
    for (const p of c.stderr ?? []) assert.match(r.stderr, new RegExp(p));
  });
}

test('the running figure of a unit with PrivateTmp=yes is below the offline figure at 252 and equal at 254 once PrivateMounts=yes is set', () => {
  const exposure = (...args: string[]): number => {
    const r = cli('score', '--format', 'json', ...args, webUnit);
    return (JSON.parse(r.stdout) as { exposure: number }[])[0]!.exposure;
  };
  assert.ok(exposure('--running') < exposure(), 'PrivateTmp=yes implies the mount namespace the manager counts');
  const both = writeUnder(tmp, 'both/web.service', `${textCases.unit}PrivateMounts=yes\n`);
  const at = (...args: string[]): number =>
    (JSON.parse(cli('score', '--format', 'json', ...args, both).stdout) as { exposure: number }[])[0]!.exposure;
  assert.equal(at('--running', '--systemd-version', '254'), at('--systemd-version', '254'));
});

const versions = data.versions as unknown as Record<string, { figures: string[] }>;
const runningOnly = Object.keys(versions).filter((v) => !versions[v]!.figures.includes('offline'));
const both = Object.keys(versions).filter((v) => versions[v]!.figures.includes('offline'));

test('--offline is refused for every release without an offline figure (before 250, from the figures data); the default there is running', () => {
  assert.ok(runningOnly.includes('249') && runningOnly.includes('239'), runningOnly.join(' '));
  const offline = new Map([['offline', 'true']]);
  for (const v of runningOnly.map(Number)) {
    assert.throws(
      () => figureOption(offline, v),
      (e: unknown) => e instanceof UsageError && e.message.startsWith(`systemd ${v} has no offline figure`),
    );
    assert.equal(figureOption(new Map(), v), 'running');
    assert.equal(figureOption(new Map([['running', 'true']]), v), 'running');
  }
  for (const v of both.map(Number)) {
    assert.equal(figureOption(offline, v), 'offline');
    assert.equal(figureOption(new Map(), v), 'offline');
  }
});

test(
  'score --offline --systemd-version 249: a usage error naming the figure; without --offline, the running figure',
  { skip: hardeningService.isSupportedVersion(249) ? false : 'systemd 249 is not a supported version yet (s9-engine)' },
  () => {
    const r = cli('score', '--offline', '--systemd-version', '249', webUnit);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /systemd 249 has no offline figure/);
    const j = cli('score', '--format', 'json', '--systemd-version', '249', webUnit);
    assert.equal((JSON.parse(j.stdout) as { figure: string }[])[0]!.figure, 'running');
  },
);
