/**
 * The client's own features in the extension host, after editor.suite.ts: the check table as a
 * read-only markdown preview that follows the unit, the "systemd Hardening" output channel (start-up
 * lines, `systemdHardening.trace.server`), and the restart command. Every wait is bounded.
 */
import assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';

const EXTENSION_ID = 'systemd-hardening.systemd-hardening';
const TABLE_SCHEME = 'systemd-hardening-table';
const WAIT_MS = 30_000;

interface Api {
  outputLines(): readonly string[];
  /** The exposure the status bar shows for a document. */
  exposureOf(uri: string): { exposure: number | null } | undefined;
}

function unitUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the editor has no workspace folder');
  return vscode.Uri.joinPath(folder.uri, 'nginx.service');
}

/** Polls `probe` every 50 ms until it returns a value, bounded by WAIT_MS. */
function waitUntil<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    let busy = false;
    const check = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        const v = await probe();
        if (v !== undefined) {
          cleanup();
          resolve(v);
        }
      } finally {
        busy = false;
      }
    };
    const poll = setInterval(() => void check(), 50);
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`));
    }, WAIT_MS);
    const cleanup = (): void => {
      clearInterval(poll);
      clearTimeout(timer);
    };
    void check();
  });
}

const overall = (text: string): string | undefined => /Overall exposure: (\d+\.\d) [A-Z]+/.exec(text)?.[1];

function tableDocument(): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find(
    (d) => d.uri.scheme === TABLE_SCHEME && vscode.Uri.parse(d.uri.query).toString() === unitUri().toString(),
  );
}

function allTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

let api: Api;

async function hoverOnExecStart(): Promise<number> {
  const doc = await vscode.workspace.openTextDocument(unitUri());
  const line = doc
    .getText()
    .split('\n')
    .findIndex((l) => l.startsWith('ExecStart='));
  const hovers =
    (await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(line, 2),
    )) ?? [];
  return hovers.length;
}

const traceLines = (needle: string): number =>
  api.outputLines().filter((l) => l.startsWith('[trace]') && l.includes(needle)).length;

suite('the client: check table, output channel, restart', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    api = ext.isActive ? ext.exports : await ext.activate();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(unitUri()));
  });

  test('the check table opens as a read-only markdown preview, and no untitled or dirty document is left', async () => {
    await vscode.commands.executeCommand('systemdHardening.showCheckTable', unitUri());
    const table = await waitUntil(tableDocument, `a ${TABLE_SCHEME}: document for nginx.service`);
    assert.match(table.getText(), /^# Exposure of nginx\.service/);
    assert.equal(table.isDirty, false);
    const preview = await waitUntil(
      () =>
        allTabs().find((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType)),
      'a markdown preview tab',
    );
    assert.match(preview.label, /nginx\.service exposure/, `preview tab label '${preview.label}'`);
    const untitled = vscode.workspace.textDocuments.filter(
      (d) => d.isUntitled || (d.isDirty && d.uri.scheme !== 'file'),
    );
    assert.deepEqual(
      untitled.map((d) => d.uri.toString()),
      [],
      'untitled or dirty non-file documents',
    );
    const textTabs = allTabs().filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme !== 'file');
    assert.deepEqual(
      textTabs.map((t) => t.label),
      [],
      'text editors on non-file documents',
    );
  });

  test('the check table follows the unit: an edit that changes the exposure changes the table', async () => {
    const table = await waitUntil(tableDocument, 'the check table document');
    // The table and the status bar agree on the unit's figure (the earlier tests rewrote its drop-ins).
    const settled = (): string | undefined => {
      const v = overall(tableDocument()?.getText() ?? '');
      const shown = api.exposureOf(unitUri().toString())?.exposure;
      return v && shown !== undefined && shown !== null && Number(v) === shown ? v : undefined;
    };
    const before = await waitUntil(settled, 'the check table and the status bar at the same exposure');
    assert.ok(before, `no overall exposure in:\n${table.getText().slice(0, 300)}`);
    const doc = await vscode.workspace.openTextDocument(unitUri());
    const line = doc.getText().split('\n').indexOf('[Service]');
    assert.ok(line >= 0);
    const add = new vscode.WorkspaceEdit();
    add.insert(doc.uri, new vscode.Position(line + 1, 0), 'PrivateDevices=yes\nPrivateNetwork=yes\n');
    assert.equal(await vscode.workspace.applyEdit(add), true);
    try {
      const after = await waitUntil(() => {
        const v = settled();
        return v && Number(v) < Number(before) ? v : undefined;
      }, `the table's overall exposure to drop below ${before}`);
      assert.ok(
        Number(after) < Number(before),
        `exposure ${before} → ${after} after adding PrivateDevices= and PrivateNetwork=`,
      );
    } finally {
      const remove = new vscode.WorkspaceEdit();
      remove.delete(doc.uri, new vscode.Range(line + 1, 0, line + 3, 0));
      await vscode.workspace.applyEdit(remove);
    }
    await waitUntil(
      () => (overall(tableDocument()?.getText() ?? '') === before ? true : undefined),
      `the table back at ${before}`,
    );
    assert.equal(tableDocument()?.isDirty, false);
  });

  test('the output channel has the start-up lines: version, server path, target systemd version', () => {
    const text = api.outputLines().join('\n');
    assert.match(text, /systemd Hardening \d+\.\d+\.\d+ \(VS Code /, text);
    assert.match(text, /Language server: \S*dist[\\/]server\.js/, text);
    assert.match(text, /Target systemd version: auto/, text);
    assert.match(text, /Language server running/, text);
  });

  test('systemdHardening.trace.server: "messages" logs each request in the output channel, "off" stops it', async () => {
    const config = vscode.workspace.getConfiguration('systemdHardening');
    assert.equal(config.get('trace.server'), 'off');
    const quiet = traceLines('textDocument/hover');
    await hoverOnExecStart();
    assert.equal(traceLines('textDocument/hover'), quiet, 'a trace line with trace.server off');
    await config.update('trace.server', 'messages', vscode.ConfigurationTarget.Global);
    try {
      await waitUntil(
        () => (api.outputLines().some((l) => l.includes('Trace of the language server: messages')) ? true : undefined),
        'the trace setting to apply',
      );
      await hoverOnExecStart();
      await waitUntil(
        () => (traceLines('textDocument/hover') > quiet ? true : undefined),
        'a [trace] line about textDocument/hover',
      );
    } finally {
      await config.update('trace.server', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitUntil(
      () => (api.outputLines().some((l) => l.includes('Trace of the language server: off')) ? true : undefined),
      'the trace to go off',
    );
    const traced = traceLines('textDocument/hover');
    await hoverOnExecStart();
    assert.equal(traceLines('textDocument/hover'), traced, 'trace lines after trace.server went back to off');
  });

  test('"Restart Language Server" restarts it, and it answers again', async () => {
    const running = (): number => api.outputLines().filter((l) => l.includes('Language server running')).length;
    const before = running();
    await vscode.commands.executeCommand('systemdHardening.restartServer');
    await waitUntil(() => (running() > before ? true : undefined), 'the language server to run again');
    assert.ok(api.outputLines().some((l) => l.includes('Restarting the language server')));
    await waitUntil(
      async () => ((await hoverOnExecStart()) > 0 ? true : undefined),
      'a hover from the restarted server',
    );
  });
});
