/**
 * The parser's and the directive table's verdicts, line by line, against systemd's own parser:
 * every "Unknown key", "Unknown section", "Assignment outside of section", "Missing '='" and
 * "Missing key name" warning that the real systemd-analyze of each version prints for the corpus
 * and for mutated copies of it must be one of our diagnostics, and we must report nothing more.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { directivesIn, isKnown, allDirectiveNames } from '../../server/src/knowledge/directives';
import { analyzeUnit, decodeBytes, parseUnitFile, type SupportedVersion } from '../../server/src/service';
import { rng } from '../fuzz/fuzz';
import { corpusFiles, readBytes } from '../helpers';
import { ORACLE_VERSIONS, oraclePath, runOracle } from '../oracle';
import { oracle, skipUnless } from '../requirements';

const CODES: Record<string, string> = {
  'unknown-directive': 'key',
  'misplaced-directive': 'key',
  'unknown-section': 'section',
  'assignment-outside-section': 'outside',
  'missing-equals': 'missing-equals',
  'missing-key': 'missing-key',
};

/** One finding as "file:line:kind:detail". */
function fromSystemd(stderr: string, dir: string): string[] {
  const out: string[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.startsWith(dir + '/')) continue;
    const m = /^(.*?):(\d+): (.*)$/.exec(line);
    if (!m) continue;
    const file = basename(m[1]!);
    const msg = m[3]!;
    let k: RegExpExecArray | null;
    if ((k = /^Unknown key '(.*)' in section \[(.*)\], ignoring\.$/.exec(msg)))
      out.push(`${file}:${m[2]}:key:${k[2]}.${k[1]}`);
    else if ((k = /^Unknown section '(.*)'\. Ignoring\.$/.exec(msg))) out.push(`${file}:${m[2]}:section:${k[1]}`);
    else if (msg === 'Assignment outside of section. Ignoring.') out.push(`${file}:${m[2]}:outside:`);
    else if (msg === "Missing '=', ignoring line.") out.push(`${file}:${m[2]}:missing-equals:`);
    else if (msg === "Missing key name before '=', ignoring line.") out.push(`${file}:${m[2]}:missing-key:`);
  }
  return out.sort();
}

function fromUs(name: string, text: string, version: SupportedVersion): string[] {
  const { model, diagnostics } = analyzeUnit({ name, files: [{ path: name, text }], version });
  const tree = model.files[0]!.tree;
  const out: string[] = [];
  for (const d of diagnostics) {
    const kind = CODES[d.code];
    if (!kind) continue;
    if (kind === 'key') {
      const e = tree.entries.find((x) => x.keySpan.start === d.span.start)!;
      out.push(`${name}:${e.sdLine}:key:${e.section!.name}.${e.key}`);
    } else if (kind === 'section') {
      const s = tree.sections.find((x) => x.nameSpan.start === d.span.start)!;
      out.push(`${name}:${s.sdLine}:section:${s.name}`);
    } else {
      const issue = tree.issues.find((i) => i.code === d.code && i.span.start === d.span.start)!;
      out.push(`${name}:${issue.sdLine}:${kind}:`);
    }
  }
  return out;
}

interface Unit {
  name: string;
  text: string;
}

/** Mutations of a unit that systemd's parser must flag: misspelled and misplaced keys, other versions' keys. */
function mutants(units: Unit[]): Unit[] {
  const next = rng(42);
  const versionKeys = allDirectiveNames().filter((k) => {
    const known = ORACLE_VERSIONS.map((v) => isKnown('Service', k, v));
    return known.some(Boolean) && !known.every(Boolean);
  });
  const unitKeys = directivesIn('Unit', 262).map((d) => d.name);
  const out: Unit[] = [];
  units.forEach((u, i) => {
    const tree = parseUnitFile(u.text);
    const lines = u.text.split('\n');
    const svc = tree.sections.find((s) => s.name === 'Service');
    const unitSec = tree.sections.find((s) => s.name === 'Unit');
    const inserts: [number, string][] = [];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    if (svc) {
      const at = svc.sdLine; // insert right after the header line (LF-only corpus: sdLine = line number)
      const known = tree.entries.filter((e) => e.section === svc && !e.continued).map((e) => e.key);
      if (known.length) {
        const key = pick(known);
        const j = 1 + Math.floor(next() * (key.length - 1));
        const typo = key.slice(0, j - 1) + key[j] + key[j - 1] + key.slice(j + 1);
        inserts.push([at, `${typo}=yes`]);
      }
      inserts.push([at, `${pick(unitKeys)}=misplaced`]);
      for (let k = 0; k < 3; k++) inserts.push([at, `${pick(versionKeys)}=`]);
      inserts.push([at, 'X-Custom=ignored silently']);
      if (i % 7 === 0) inserts.push([at, 'no equals sign here']);
      if (i % 11 === 0) inserts.push([at, '=no key']);
    }
    if (unitSec)
      inserts.push([unitSec.sdLine, `${pick(['ProtectSystem', 'ExecStart', 'User', 'PrivateTmp'])}=misplaced`]);
    if (i % 5 === 0) inserts.push([lines.length, '[Servic]\nProtectSystem=strict\nnot an assignment']);
    if (i % 13 === 0) inserts.push([0, 'Before=any.section']);
    inserts.sort((a, b) => b[0] - a[0]);
    for (const [at, text] of inserts) lines.splice(at, 0, text);
    out.push({ name: `mut${i}-${u.name}`, text: lines.join('\n') });
  });
  return out;
}

function corpusUnits(): Unit[] {
  const seen = new Set<string>();
  const out: Unit[] = [];
  for (const f of corpusFiles()) {
    const name = basename(f);
    if (!name.endsWith('.service') || seen.has(name)) continue;
    seen.add(name);
    out.push({ name, text: decodeBytes(readBytes(f)) });
  }
  return out;
}

const base = skipUnless('corpus') ? [] : corpusUnits();
const all = [...base, ...mutants(base)];

for (const version of ORACLE_VERSIONS) {
  const bin = oraclePath(version);
  test(
    `check: parser warnings equal systemd ${version}'s, on the corpus and mutants`,
    { skip: skipUnless('corpus', oracle(version)), timeout: 300_000 },
    (t) => {
      const dir = mkdtempSync(join(tmpdir(), `sh-check-${version}-`));
      try {
        const unitDir = join(dir, 'units');
        mkdirSync(unitDir);
        for (const u of all) writeFileSync(join(unitDir, u.name), u.text);
        const theirs: string[] = [];
        const batch = 400;
        for (let i = 0; i < all.length; i += batch) {
          const r = runOracle(
            bin!,
            [
              'security',
              '--offline=yes',
              '--no-pager',
              '--json=short',
              ...all.slice(i, i + batch).map((u) => join(unitDir, u.name)),
            ],
            dir,
          );
          theirs.push(...fromSystemd(r.stderr, unitDir));
        }
        const ours = all.flatMap((u) => fromUs(u.name, u.text, version)).sort();
        theirs.sort();
        const missing = theirs.filter((x) => !ours.includes(x));
        const extra = ours.filter((x) => !theirs.includes(x));
        t.diagnostic(
          `${all.length} units, ${theirs.length} warnings from systemd ${version}, ${new Set(theirs.map((x) => x.split(':')[2])).size} kinds`,
        );
        assert.ok(theirs.length > all.length, `systemd printed ${theirs.length} warnings for ${all.length} units`);
        assert.deepEqual(
          {
            missing: missing.slice(0, 30),
            extra: extra.slice(0, 30),
            missingCount: missing.length,
            extraCount: extra.length,
          },
          { missing: [], extra: [], missingCount: 0, extraCount: 0 },
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}
