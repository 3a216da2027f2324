/** Drift: package.json and the server agree on settings; every rule code has documentation. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../protocol/protocol';
import { ROOT } from '../helpers';
import { skipUnless } from '../requirements';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default: unknown }> }; commands: { command: string }[] };
};

function flatten(prefix: string, value: unknown, out: Record<string, unknown>): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(`${prefix}.${k}`, v, out);
  } else out[prefix] = value;
}

/** Settings the VS Code client reads itself (vscode-languageclient reads `<client id>.trace.server`); the server never sees them. */
const CLIENT_ONLY = new Set(['systemdHardening.trace.server']);

test('drift: package.json settings and their defaults equal the server defaults', () => {
  const fromServer: Record<string, unknown> = {};
  flatten('systemdHardening', DEFAULT_SETTINGS, fromServer);
  const fromPackage = Object.fromEntries(
    Object.entries(pkg.contributes.configuration.properties)
      .filter(([k]) => !CLIENT_ONLY.has(k))
      .map(([k, v]) => [k, v.default]),
  );
  for (const k of CLIENT_ONLY) assert.ok(!(k in fromServer), `${k} is listed as client-only but the server has it`);
  assert.deepEqual(fromPackage, fromServer);
});

test('drift: every command the client registers is declared, and the reverse', () => {
  const client = readFileSync(join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
  const registered = [...client.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]).sort();
  assert.deepEqual(pkg.contributes.commands.map((c) => c.command).sort(), registered);
});

test('drift: docs/rules.md is generated from the rule catalog (run scripts/gen-rule-docs.ts)', async () => {
  const { rulesMarkdown } = await import('../../server/src/rules/catalog');
  assert.equal(readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8'), rulesMarkdown());
});

test('drift: every code the corpus produces is documented', { skip: skipUnless('corpus') }, async () => {
  const { allRules } = await import('../../server/src/rules/catalog');
  const { analyzeDocument, decodeBytes } = await import('../../server/src/service');
  const { corpusFiles, readBytes } = await import('../helpers');
  const documented = new Set(allRules().map((r) => r.code));
  const seen = new Set<string>();
  for (const f of corpusFiles()
    .filter((x) => x.endsWith('.service'))
    .slice(0, 60)) {
    const name = f.slice(f.lastIndexOf('/') + 1);
    for (const d of analyzeDocument(
      { name, files: [{ path: f, text: decodeBytes(readBytes(f)) }], version: 252 },
      { file: f },
    ).diagnostics)
      seen.add(d.code);
  }
  assert.ok(seen.size > 10);
  assert.deepEqual(
    [...seen].filter((c) => !documented.has(c)),
    [],
  );
});
