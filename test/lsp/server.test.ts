/**
 * Tier "lsp": the built language server (`node dist/server.js --stdio`) driven over JSON-RPC like an
 * editor would: capabilities, diagnostics of a unit and of a drop-in beside its base unit on disk,
 * completion, hover, code actions whose edits remove their diagnostic and bring the exposure
 * (`systemdHardening/exposure`) to the predicted value — the value the real systemd-analyze 252
 * prints for the edited unit — and garbage input that must never kill the server.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { descriptionOf, hoverShowsDescription, predictedExposure } from '../e2e/spec';
import { oraclePath, runOracle } from '../oracle';
import { skipUnless } from '../requirements';
import {
  fileUri,
  LspServer,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type Exposure,
  type TextEdit,
} from './client';

const FIXTURE = join(__dirname, '..', 'e2e', 'fixtures', 'workspace');
const EXPOSURE = 'systemdHardening/exposure';

let server: LspServer;
let tmp: string;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sh-lsp-'));
  server = LspServer.start();
});

after(async () => {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh folder with the nginx.service fixture and its drop-in; returns the unit's path. */
function nginxCopy(name: string): string {
  const dir = join(tmp, name);
  cpSync(FIXTURE, dir, { recursive: true });
  return join(dir, 'nginx.service');
}

function write(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** The real systemd-analyze 252, host units kept out: "→ Overall exposure level for NAME: 9.6 UNSAFE" (its tests need systemd-analyze 252). */
function oracleExposure(unitPath: string): string {
  const r = runOracle(oraclePath(252)!, ['security', '--offline=yes', unitPath]);
  const m = /Overall exposure level for \S+: (\d+\.\d) /.exec(r.stdout);
  assert.ok(m, `systemd-analyze printed no overall exposure (rc ${r.status}):\n${r.stderr}`);
  return m[1]!;
}

const tenths = (e: number | null | undefined): string => (typeof e === 'number' ? e.toFixed(1) : String(e));
const sandbox = (ds: Diagnostic[]): Diagnostic[] => ds.filter((d) => predictedExposure(d.message) !== null);

/** The text edits of a workspace edit for one document, or null when it touches anything else. */
function editsFor(uri: string, action: CodeAction): TextEdit[] | null {
  const e = action.edit;
  if (!e) return null;
  const out: TextEdit[] = [];
  for (const [u, edits] of Object.entries(e.changes ?? {})) {
    if (u !== uri) return null;
    out.push(...edits);
  }
  for (const c of e.documentChanges ?? []) {
    if (c.kind || c.textDocument?.uri !== uri) return null;
    out.push(...(c.edits ?? []));
  }
  return out.length ? out : null;
}

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'systemd-unit', 1, text), edits);
}

async function actionsFor(uri: string, d: Diagnostic): Promise<CodeAction[]> {
  const r = await server.request<Array<CodeAction | { command: string }> | null>('textDocument/codeAction', {
    textDocument: { uri },
    range: d.range,
    context: { diagnostics: [d], triggerKind: 1 },
  });
  return (r ?? []).filter((a): a is CodeAction => typeof (a as { command?: unknown }).command !== 'string');
}

/**
 * The diagnostic's own fix (the action that names it in `diagnostics`), editing only this document.
 * A sandbox diagnostic has one; it is preferred only inside the safe set (advice.test.ts).
 */
async function ownFix(uri: string, d: Diagnostic): Promise<{ action: CodeAction; edits: TextEdit[] } | null> {
  for (const action of await actionsFor(uri, d)) {
    const edits = editsFor(uri, action);
    const mine = (action.diagnostics ?? []).some((x) => x.code === d.code && x.message === d.message);
    if (edits && mine) return { action, edits };
  }
  return null;
}

test('initialize: incremental sync, completion, hover and code actions', async () => {
  const r = await server.initialize(tmp);
  const caps = r.capabilities;
  const sync = caps.textDocumentSync as number | { change?: number; openClose?: boolean } | undefined;
  assert.equal(typeof sync === 'object' ? sync.change : sync, 2, `textDocumentSync: ${JSON.stringify(sync)}`);
  if (typeof sync === 'object') assert.equal(sync.openClose, true, 'textDocumentSync.openClose');
  assert.ok(caps.completionProvider, 'completionProvider');
  assert.ok(caps.hoverProvider, 'hoverProvider');
  assert.ok(caps.codeActionProvider, 'codeActionProvider');
  // Diagnostics are pushed (textDocument/publishDiagnostics, next test); a pull provider is optional.
});

test('diagnostics: an open unit gets diagnostics, sandbox ones among them', async () => {
  const path = nginxCopy('open');
  const uri = fileUri(path);
  await server.open(uri, readFileSync(path, 'utf8'));
  const ds = await server.diagnostics(uri, (x) => x.length > 0, 'diagnostics on nginx.service');
  assert.ok(sandbox(ds).length > 0, `no diagnostic ends in → X.Y:\n${ds.map((d) => d.message).join('\n')}`);
  assert.ok(
    ds.every((d) => d.source === 'systemd-hardening'),
    'source',
  );
  await server.close(uri);
});

test(
  'a drop-in beside its base unit on disk is scored as part of the merged unit',
  { skip: skipUnless('systemd-analyze 252') },
  async () => {
    const base = write(
      join(tmp, 'dropin', 'web.service'),
      '[Unit]\nDescription=web\n\n[Service]\nExecStart=/usr/bin/web --port 8080\nPrivateTmp=yes\n',
    );
    const dropin = write(
      join(tmp, 'dropin', 'web.service.d', 'override.conf'),
      '[Service]\nProtectSystem=strict\nNoNewPrivileges=yes\n',
    );
    const merged = oracleExposure(base);
    // The fixture means something only if the drop-in changes the score.
    const alone = write(join(tmp, 'dropin-alone', 'web.service'), readFileSync(base, 'utf8'));
    assert.notEqual(oracleExposure(alone), merged, 'the drop-in should change the exposure');

    const uri = fileUri(dropin);
    await server.open(uri, readFileSync(dropin, 'utf8'));
    const ds = await server.diagnostics(uri, (x) => sandbox(x).length > 0, 'sandbox diagnostics on the drop-in');
    const exposure = await server.request<Exposure | null>(EXPOSURE, { uri });
    assert.ok(exposure, 'no exposure for the drop-in');
    assert.equal(exposure.unit, 'web.service');
    assert.equal(tenths(exposure.exposure), merged, 'exposure of the merged unit (systemd-analyze 252)');
    assert.ok(ds.every((d) => d.range.start.line >= 0));
    await server.close(uri);
  },
);

test(
  'the exposure request answers {unit, exposure, band, checks, suggestions}',
  { skip: skipUnless('systemd-analyze 252') },
  async () => {
    const path = nginxCopy('shape');
    const uri = fileUri(path);
    await server.open(uri, readFileSync(path, 'utf8'));
    const r = await server.request<Exposure | null>(EXPOSURE, { uri });
    assert.ok(r);
    assert.equal(r.unit, 'nginx.service');
    assert.equal(tenths(r.exposure), oracleExposure(path));
    assert.match(String(r.band), /^[A-Z]+$/);
    assert.ok(Array.isArray(r.checks) && r.checks.length > 0, 'checks');
    assert.ok(Array.isArray(r.suggestions), 'suggestions');
    await server.close(uri);
  },
);

test('completion in [Service] offers ProtectSystem=', async () => {
  const path = nginxCopy('completion');
  const uri = fileUri(path);
  const text = readFileSync(path, 'utf8');
  await server.open(uri, text);
  const line = text.split('\n').indexOf('[Install]') - 1;
  assert.equal(text.split('\n')[line], '');
  const r = await server.request<CompletionItem[] | { items: CompletionItem[] } | null>('textDocument/completion', {
    textDocument: { uri },
    position: { line, character: 0 },
  });
  const items = Array.isArray(r) ? r : (r?.items ?? []);
  const item = items.find((i) => i.label.replace(/=$/, '') === 'ProtectSystem');
  assert.ok(
    item,
    `no ProtectSystem among ${items.length} items: ${items
      .slice(0, 20)
      .map((i) => i.label)
      .join(', ')}`,
  );
  const insert = item.textEdit?.newText ?? item.insertText ?? item.label;
  assert.ok(insert.startsWith('ProtectSystem='), `inserts '${insert}'`);
  await server.close(uri);
});

test('completion of values shows the predicted exposure in the list (labelDetails), not only in the details pane', async () => {
  const path = nginxCopy('completion-values');
  const uri = fileUri(path);
  const lines = readFileSync(path, 'utf8').split('\n');
  const at = lines.indexOf('ProtectSystem=full');
  assert.ok(at > 0, 'the fixture sets ProtectSystem=full');
  lines[at] = 'ProtectSystem=';
  await server.open(uri, lines.join('\n'));
  const r = await server.request<CompletionItem[] | { items: CompletionItem[] } | null>('textDocument/completion', {
    textDocument: { uri },
    position: { line: at, character: 'ProtectSystem='.length },
  });
  const items = Array.isArray(r) ? r : (r?.items ?? []);
  const strict = items.find((i) => i.label === 'strict');
  assert.ok(strict, `no 'strict' among ${items.map((i) => i.label).join(', ')}`);
  assert.match(strict.labelDetails?.description ?? '', /^exposure \d+\.\d → \d+\.\d$/);
  assert.match(strict.detail ?? '', /exposure \d+\.\d → \d+\.\d/);
  await server.close(uri);
});

test('hover on ProtectSystem= shows its description', async () => {
  const path = nginxCopy('hover');
  const uri = fileUri(path);
  const text = readFileSync(path, 'utf8');
  await server.open(uri, text);
  const line = text.split('\n').indexOf('ProtectSystem=full');
  const r = await server.request<{ contents: string | { value: string } | Array<string | { value: string }> } | null>(
    'textDocument/hover',
    {
      textDocument: { uri },
      position: { line, character: 4 },
    },
  );
  const c = r?.contents;
  const hover =
    c === undefined
      ? ''
      : typeof c === 'string'
        ? c
        : Array.isArray(c)
          ? c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n')
          : c.value;
  assert.ok(
    hoverShowsDescription(hover, 'ProtectSystem'),
    `hover:\n${hover}\nexpected: ${descriptionOf('ProtectSystem')}`,
  );
  await server.close(uri);
});

test(
  'a code action, applied, removes its diagnostic and brings the exposure to the predicted value, which systemd-analyze 252 confirms',
  { skip: skipUnless('systemd-analyze 252') },
  async () => {
    const path = nginxCopy('fix');
    const uri = fileUri(path);
    const text = readFileSync(path, 'utf8');
    await server.open(uri, text);
    const ds = await server.diagnostics(uri, (x) => sandbox(x).length > 0, 'sandbox diagnostics');
    const before = await server.request<Exposure | null>(EXPOSURE, { uri });
    assert.ok(before && typeof before.exposure === 'number', 'exposure before');
    // The diagnostic whose fix lowers the exposure most.
    const target = sandbox(ds)
      .filter((d) => Number(predictedExposure(d.message)) < before.exposure!)
      .sort((a, b) => Number(predictedExposure(a.message)) - Number(predictedExposure(b.message)))[0];
    assert.ok(target, `no sandbox diagnostic predicts a lower exposure than ${tenths(before.exposure)}`);
    const predicted = predictedExposure(target.message)!;
    const fix = await ownFix(uri, target);
    assert.ok(fix, `no fix of its own editing only this file for: ${target.message}`);
    const edited = applyEdits(text, fix.edits);
    const mark = server.mark();
    await server.change(uri, edited);
    const after = await server.diagnostics(uri, () => true, 'diagnostics after the edit', mark);
    const same = after.filter((d) => d.code === target.code);
    assert.deepEqual(
      same.map((d) => d.message),
      [],
      `'${fix.action.title}' did not remove its diagnostic`,
    );
    const exposure = await server.request<Exposure | null>(EXPOSURE, { uri });
    assert.equal(tenths(exposure?.exposure), predicted, `exposure after '${fix.action.title}'`);
    writeFileSync(path, edited);
    assert.equal(oracleExposure(path), predicted, `systemd-analyze 252 on the edited unit:\n${edited}`);
    await server.close(uri);
  },
);

test(
  'every sandbox diagnostic of nginx.service predicts what systemd-analyze 252 prints after its fix',
  { skip: skipUnless('systemd-analyze 252') },
  async () => {
    const path = nginxCopy('predictions');
    const uri = fileUri(path);
    const text = readFileSync(path, 'utf8');
    await server.open(uri, text);
    const ds = sandbox(await server.diagnostics(uri, (x) => sandbox(x).length > 0, 'sandbox diagnostics'));
    const wrong: string[] = [];
    for (const d of ds) {
      const fix = await ownFix(uri, d);
      if (!fix) {
        wrong.push(`no fix: ${d.message}`);
        continue;
      }
      writeFileSync(path, applyEdits(text, fix.edits));
      const real = oracleExposure(path);
      if (real !== predictedExposure(d.message))
        wrong.push(`${d.message}\n    systemd-analyze after '${fix.action.title}': ${real}`);
    }
    writeFileSync(path, text);
    assert.deepEqual(wrong, [], `${wrong.length} of ${ds.length} predictions differ`);
    await server.close(uri);
  },
);

// --- garbage in: the server must answer afterwards --------------------------------------------

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The server is alive and answers: a hover request gets a response (a result or an error) in time. */
async function answers(uri: string, what: string): Promise<void> {
  assert.ok(server.alive(), `the server died after ${what}: ${JSON.stringify(server.exit)}\n${server.stderr}`);
  await server
    .request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }, 30_000)
    .catch((e: Error) => {
      if (/no answer/.test(e.message)) throw new Error(`no answer after ${what}`);
    });
  assert.ok(server.alive(), `the server died after ${what}`);
}

test('garbage: random bytes', async () => {
  const next = rng(20261124);
  for (let i = 0; i < 20; i++) {
    const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(next() * 4000) }, () => Math.floor(next() * 256)));
    const uri = fileUri(join(tmp, 'garbage', `random-${i}.service`));
    await server.open(uri, bytes.toString('latin1'));
    await server.change(uri, bytes.toString('utf8'));
    await answers(uri, `random bytes #${i}`);
    await server.close(uri);
  }
});

test("garbage: huge lines (2 MiB, past systemd's 1 MiB line limit)", async () => {
  const uri = fileUri(join(tmp, 'garbage', 'huge.service'));
  const huge = 'x'.repeat(2 * 1024 * 1024);
  await server.open(uri, `[Service]\nExecStart=/bin/${huge}\nEnvironment=A=${huge}\n${huge}\n[${huge}]\n`);
  await server.diagnostics(uri, () => true, 'diagnostics of the huge-line file', 0, 60_000);
  await answers(uri, 'huge lines');
  await server.close(uri);
});

test('garbage: a 10,000-line unit', async () => {
  const directives = [
    'Environment=K%d=v',
    'ExecStartPre=/bin/true %d',
    'ProtectSystem=strict',
    'SystemCallFilter=@system-service',
    'ReadWritePaths=/var/lib/x%d',
    'Foo%d=bar',
    '# comment %d',
    '[Service]',
  ];
  const lines = ['[Unit]', 'Description=big', '[Service]', 'ExecStart=/bin/sleep infinity'];
  for (let i = lines.length; i < 10_000; i++) lines.push(directives[i % directives.length]!.replace('%d', String(i)));
  const uri = fileUri(join(tmp, 'garbage', 'big.service'));
  await server.open(uri, lines.join('\n') + '\n');
  await server.diagnostics(uri, () => true, 'diagnostics of the 10,000-line unit', 0, 60_000);
  await server.request(EXPOSURE, { uri }, 60_000);
  await answers(uri, 'a 10,000-line unit');
  await server.close(uri);
});

test('garbage: out-of-range edits and positions, unknown documents', async () => {
  const uri = fileUri(join(tmp, 'garbage', 'ranges.service'));
  await server.open(uri, '[Service]\nExecStart=/bin/true\n');
  await server.changeRange(
    uri,
    { start: { line: 99_999, character: 5 }, end: { line: 100_000, character: 0 } },
    'PrivateTmp=yes\n',
  );
  await server.changeRange(
    uri,
    { start: { line: 1, character: 500 }, end: { line: 0, character: 0 } },
    '\u0000\uDC80\uFFFF',
  );
  await server
    .request('textDocument/hover', { textDocument: { uri }, position: { line: 1_000_000, character: 1_000_000 } })
    .catch(() => {});
  await server
    .request('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 99 } })
    .catch(() => {});
  await server
    .request('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 9, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    })
    .catch(() => {});
  await server.request(EXPOSURE, { uri: 'file:///nonexistent/none.service' }).catch(() => {});
  await server.request(EXPOSURE, { uri: 'not a uri' }).catch(() => {});
  await server.request(EXPOSURE, {}).catch(() => {});
  await server
    .request('textDocument/hover', {
      textDocument: { uri: 'file:///never/opened.service' },
      position: { line: 0, character: 0 },
    })
    .catch(() => {});
  await answers(uri, 'out-of-range edits and requests');
  await server.close(uri);
});
