/**
 * Tier "lsp": a save changes nothing the editor shows. Saving an open unit makes the editor's file
 * watcher send workspace/didChangeWatchedFiles for it; the server reads the disk again and re-analyses
 * its open documents, but must not publish again what it has just published: an editor treats every
 * publishDiagnostics as a change of the markers, and VS Code cancels a code-action list asked for at
 * that moment (Ctrl+. on [Service] right after a save answered "No code actions available"). Nor may
 * it postpone the unit's recommended drop-in, whose figure the summary then gains: that publish would
 * come later, when the administrator is more likely to be reading a code-action list.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileUri, LspServer, type CodeAction, type Diagnostic } from './client';

const FIXTURE = join(__dirname, '..', 'e2e', 'fixtures', 'workspace');
const SUMMARY = 'exposure-summary';

let server: LspServer;
let tmp: string;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sh-save-'));
  server = LspServer.start();
  await server.initialize(tmp);
});

after(async () => {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const summaryOf = (ds: Diagnostic[]): Diagnostic | undefined => ds.find((d) => d.code === SUMMARY);
const withRecommendation = (ds: Diagnostic[]): boolean => /recommended drop-in/.test(summaryOf(ds)?.message ?? '');

test('a save right after an edit publishes nothing again, and the summary still gains its recommendation once', async () => {
  const dir = join(tmp, 'nginx');
  cpSync(FIXTURE, dir, { recursive: true });
  const path = join(dir, 'nginx.service');
  const uri = fileUri(path);
  const text = readFileSync(path, 'utf8');
  await server.open(uri, text);
  await server.diagnostics(uri, withRecommendation, 'the summary with the recommended drop-in');

  // An edit (as the quick fix of the step before in the e2e test): a new version, published with the
  // summary saying the exposure alone until the recommendation for the new text is worked out.
  const edited = text.replace('ProtectProc=noaccess', 'ProtectProc=invisible');
  assert.notEqual(edited, text);
  const start = server.mark();
  const version = await server.change(uri, edited);
  await server.waitFor(
    () => server.published.slice(start).find((p) => p.uri === uri && p.version === version),
    'the new version published',
  );

  // Ctrl+S: the file is written and the watcher reports it.
  writeFileSync(path, edited);
  await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
  await server.diagnostics(uri, withRecommendation, 'the summary with the recommendation for the saved text', start);

  const mine = server.published.slice(start).filter((p) => p.uri === uri);
  for (let i = 1; i < mine.length; i++) {
    const same =
      mine[i]!.version === mine[i - 1]!.version &&
      JSON.stringify(mine[i]!.diagnostics) === JSON.stringify(mine[i - 1]!.diagnostics);
    assert.ok(
      !same,
      `publish ${i} repeats publish ${i - 1} (version ${mine[i]!.version}) word for word: ${mine.map((p) => summaryOf(p.diagnostics)?.message).join(' | ')}`,
    );
  }
  assert.deepEqual(
    mine.map((p) => withRecommendation(p.diagnostics)),
    [false, true],
    'one publish of the new version, then one with its recommendation',
  );

  // And Ctrl+. on [Service] offers "Harden this unit…" first.
  const line = edited.split('\n').indexOf('[Service]');
  const summary = summaryOf(mine.at(-1)!.diagnostics)!;
  const actions = await server.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line, character: 1 }, end: { line, character: 1 } },
    context: { diagnostics: [summary], triggerKind: 1 },
  });
  assert.equal(actions[0]?.title, 'Harden this unit…');
});
