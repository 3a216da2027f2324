/**
 * The extension in a real editor, through the `vscode` API from inside the extension host.
 * Workspace: test/e2e/fixtures/workspace (a copy per run): nginx.service and
 * nginx.service.d/override.conf. Every wait is on an editor event, bounded by a timeout.
 * Tests run in order: the read-only ones first, then the two fixes that edit the files.
 */
import assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import {
  ADD_READWRITEPATHS,
  ASSIGNMENT,
  HARDENING_DROPIN,
  MOVE_TO_DROPIN,
  PREDICTION,
  descriptionOf,
  hoverShowsDescription,
} from '../spec';

const LANGUAGE = 'systemd-unit';
const EXTENSION_ID = 'systemd-hardening.systemd-hardening';
const SOURCE = 'systemd-hardening';
const WAIT_MS = 30_000;
const OPEN_FILES_COMMAND = 'systemdHardening.openFiles';

function workspaceUri(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the editor has no workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

const unitUri = (): vscode.Uri => workspaceUri('nginx.service');
const dropinUri = (): vscode.Uri => workspaceUri('nginx.service.d', 'override.conf');
const hardeningUri = (): vscode.Uri => workspaceUri('nginx.service.d', HARDENING_DROPIN);

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

function listing(ds: readonly vscode.Diagnostic[]): string {
  return ds.length
    ? ds.map((d) => `  ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join('\n')
    : '  (none)';
}

/** Resolves with our diagnostics of `uris` once `ok` holds for them, re-checked on every change. */
function waitForDiagnostics(
  uris: vscode.Uri[],
  ok: (all: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const current = (): vscode.Diagnostic[] => uris.flatMap(ours);
    const check = (): boolean => {
      const all = current();
      if (!ok(all)) return false;
      cleanup();
      resolve(all);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => uris.some((x) => x.toString() === u.toString()))) check();
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}; diagnostics now:\n${listing(current())}`));
    }, WAIT_MS);
    const cleanup = (): void => {
      sub.dispose();
      clearTimeout(timer);
    };
    check();
  });
}

/** The document, once the editor gives it our language id (it can open as plain text first). */
async function openAsUnit(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId === LANGUAGE) return doc;
  return new Promise((resolve, reject) => {
    const sub = vscode.workspace.onDidOpenTextDocument((d) => {
      if (d.uri.toString() === uri.toString() && d.languageId === LANGUAGE) done(() => resolve(d));
    });
    const timer = setTimeout(
      () => done(() => reject(new Error(`${uri.fsPath} kept language id '${doc.languageId}', expected '${LANGUAGE}'`))),
      WAIT_MS,
    );
    const done = (f: () => void): void => {
      sub.dispose();
      clearTimeout(timer);
      f();
    };
  });
}

function lineOf(doc: vscode.TextDocument, re: RegExp): number {
  for (let i = 0; i < doc.lineCount; i++) if (re.test(doc.lineAt(i).text)) return i;
  throw new Error(`no line matching ${re} in ${doc.uri.fsPath}:\n${doc.getText()}`);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** Resolves once a sandbox diagnostic has arrived; later tests reuse the first wait's outcome. */
let firstSandbox: Promise<vscode.Diagnostic[]> | undefined;
function sandboxDiagnostics(): Promise<vscode.Diagnostic[]> {
  firstSandbox ??= waitForDiagnostics(
    [unitUri(), dropinUri()],
    (all) => all.some((d) => PREDICTION.test(d.message)),
    `a diagnostic matching ${PREDICTION} (a sandbox diagnostic)`,
  );
  return firstSandbox;
}

/** Bounded wait for a condition that no editor event announces: checked on each diagnostics change and every 100 ms. */
function waitUntil<T>(probe: () => T | undefined, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const v = probe();
      if (v === undefined) return;
      cleanup();
      resolve(v);
    };
    const sub = vscode.languages.onDidChangeDiagnostics(check);
    const poll = setInterval(check, 100);
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`));
    }, WAIT_MS);
    const cleanup = (): void => {
      sub.dispose();
      clearInterval(poll);
      clearTimeout(timer);
    };
    check();
  });
}

type Action = vscode.CodeAction | vscode.Command;
/** A bare Command has a string `command`; a CodeAction's `command` is an object or absent. */
const isCodeAction = (a: Action): a is vscode.CodeAction => typeof (a as vscode.Command).command !== 'string';

async function actionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions =
    (await vscode.commands.executeCommand<Action[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
  return actions.filter(isCodeAction);
}

/** Every code action offered on the unit and its drop-in: on each of our diagnostics and on the whole file. */
async function allActions(): Promise<Array<{ uri: vscode.Uri; action: vscode.CodeAction }>> {
  const out: Array<{ uri: vscode.Uri; action: vscode.CodeAction }> = [];
  for (const uri of [unitUri(), dropinUri()]) {
    const doc = await vscode.workspace.openTextDocument(uri);
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    for (const range of [...ours(uri).map((d) => d.range), whole]) {
      for (const action of await actionsAt(uri, range)) {
        if (!out.some((x) => x.uri.toString() === uri.toString() && x.action.title === action.title))
          out.push({ uri, action });
      }
    }
  }
  return out;
}

async function apply(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit || action.command, `the action '${action.title}' has neither an edit nor a command`);
  if (action.edit)
    assert.equal(await vscode.workspace.applyEdit(action.edit), true, `workspace.applyEdit refused '${action.title}'`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** The section a line belongs to (the last header above it). */
function sectionOf(lines: string[], index: number): string | null {
  for (let i = index; i >= 0; i--) {
    const m = /^\s*\[([^\]]+)\]/.exec(lines[i] ?? '');
    if (m) return m[1] ?? null;
  }
  return null;
}

function titles(list: ReadonlyArray<{ action: vscode.CodeAction }>): string {
  return list.length
    ? list.map((x) => `  ${x.action.title}${x.action.isPreferred ? ' (preferred)' : ''}`).join('\n')
    : '  (none)';
}

suite('systemd-hardening in the extension host', () => {
  suiteSetup(async () => {
    // Both files open, so the language client sends them to the server.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(unitUri()));
    await vscode.workspace.openTextDocument(dropinUri());
  });

  test('nginx.service and nginx.service.d/override.conf have the language id systemd-unit', async () => {
    assert.equal((await openAsUnit(unitUri())).languageId, LANGUAGE);
    assert.equal((await openAsUnit(dropinUri())).languageId, LANGUAGE);
  });

  test('the unit gets diagnostics', async () => {
    const ds = await waitForDiagnostics([unitUri()], (all) => all.length > 0, 'diagnostics on nginx.service');
    assert.ok(ds.length > 0);
  });

  test('the drop-in gets diagnostics (the misspelt ProtectKernelTunable= among them)', async () => {
    const doc = await openAsUnit(dropinUri());
    const line = lineOf(doc, /^ProtectKernelTunable=/);
    const ds = await waitForDiagnostics(
      [dropinUri()],
      (all) => all.some((d) => d.range.start.line === line),
      `a diagnostic on line ${line + 1} of override.conf`,
    );
    assert.ok(
      ds.some((d) => /ProtectKernelTunables=/.test(d.message)),
      listing(ds),
    );
  });

  test('a sandbox diagnostic predicts the exposure after its fix (message ends in → X.Y)', async () => {
    const ds = await sandboxDiagnostics();
    assert.ok(ds.some((d) => PREDICTION.test(d.message)));
  });

  test('hover on ProtectHome= in the drop-in shows the directive description', async () => {
    const doc = await openAsUnit(dropinUri());
    const pos = new vscode.Position(lineOf(doc, /^ProtectHome=/), 3);
    const hovers =
      (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos)) ?? [];
    const text = hoverText(hovers);
    assert.ok(
      hoverShowsDescription(text, 'ProtectHome'),
      `hover text:\n${text || '(no hover)'}\nexpected it to contain: ${descriptionOf('ProtectHome')}`,
    );
  });

  test('completion in [Service] offers ProtectSystem=', async () => {
    const doc = await openAsUnit(unitUri());
    // The blank line that ends [Service] (before [Install]) belongs to [Service].
    const pos = new vscode.Position(lineOf(doc, /^\[Install\]/) - 1, 0);
    assert.equal(doc.lineAt(pos.line).text, '');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      pos,
    );
    const items = list?.items ?? [];
    const label = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);
    // Word-based suggestions (kind Text, from the words of open documents) are not the server's.
    const candidates = items.filter((i) => label(i).replace(/=$/, '') === 'ProtectSystem');
    const item = candidates.find((i) => i.kind !== vscode.CompletionItemKind.Text);
    assert.ok(
      item,
      `no ProtectSystem item from a provider among ${items.length} items (${candidates.length} word-based): ${items.slice(0, 30).map(label).join(', ')}`,
    );
    const insert =
      item.insertText === undefined
        ? label(item)
        : typeof item.insertText === 'string'
          ? item.insertText
          : item.insertText.value;
    assert.ok(insert.startsWith('ProtectSystem='), `the item inserts '${insert}'`);
  });

  test('code actions on a sandbox diagnostic include a preferred quick fix', async () => {
    const ds = await sandboxDiagnostics();
    const seen: Array<{ action: vscode.CodeAction }> = [];
    for (const uri of [unitUri(), dropinUri()]) {
      for (const d of ours(uri).filter((x) => PREDICTION.test(x.message))) {
        const actions = await actionsAt(uri, d.range);
        seen.push(...actions.map((action) => ({ action })));
        const preferred = actions.find((a) => a.isPreferred);
        if (preferred) {
          assert.ok(preferred.edit || preferred.command, `the preferred fix '${preferred.title}' does nothing`);
          assert.ok(
            !preferred.kind || vscode.CodeActionKind.QuickFix.contains(preferred.kind),
            `kind ${preferred.kind?.value}`,
          );
          return;
        }
      }
    }
    assert.fail(`no sandbox diagnostic has a preferred fix; diagnostics:\n${listing(ds)}\nactions:\n${titles(seen)}`);
  });

  test('the status bar shows the exposure that the systemdHardening/exposure request returns (via systemdHardening.showCheckTable)', async () => {
    const ext = vscode.extensions.getExtension<{ statusText?: () => string }>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    const api = ext.isActive ? ext.exports : await ext.activate();
    assert.equal(typeof api?.statusText, 'function', 'the extension API has no statusText()');
    await vscode.window.showTextDocument(await openAsUnit(unitUri()));
    const status = await waitUntil(() => {
      const m = /(\d+\.\d) ([A-Z]+)/.exec(api.statusText!());
      return m ? m : undefined;
    }, 'the status bar to show an exposure for nginx.service');
    // The command sends the request and opens its result as a markdown table.
    const opened = new Promise<vscode.TextDocument>((resolve) => {
      const sub = vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.languageId === 'markdown' && d.getText().startsWith('# Exposure of nginx.service')) {
          sub.dispose();
          resolve(d);
        }
      });
    });
    await vscode.commands.executeCommand('systemdHardening.showCheckTable', unitUri());
    const table = (
      await Promise.race([opened, waitUntil<never>(() => undefined, 'the check table document')])
    ).getText();
    const overall = /Overall exposure: (\d+\.\d) ([A-Z]+)/.exec(table);
    assert.ok(overall, `no overall exposure in the check table:\n${table.slice(0, 500)}`);
    assert.deepEqual(
      [status[1], status[2]],
      [overall[1], overall[2]],
      `status bar '${api.statusText!()}' vs request '${overall[0]}'`,
    );
  });

  test('the "add ReadWritePaths=" fix, applied with workspace.applyEdit, adds a ReadWritePaths= or RuntimeDirectory= line under [Service]', async () => {
    await sandboxDiagnostics();
    const all = await allActions();
    const found = all.find((x) => ADD_READWRITEPATHS.test(x.action.title));
    assert.ok(found, `no action titled ${ADD_READWRITEPATHS}; actions:\n${titles(all)}`);
    const touched = found.action.edit ? found.action.edit.entries().map(([u]) => u) : [];
    const before = new Map<string, string>();
    for (const u of [unitUri(), dropinUri(), ...touched])
      before.set(u.toString(), (await vscode.workspace.openTextDocument(u)).getText());
    await apply(found.action);
    const added: string[] = [];
    for (const [u, old] of before) {
      const lines = (await vscode.workspace.openTextDocument(vscode.Uri.parse(u))).getText().split(/\r?\n/);
      const oldLines = new Set(old.split(/\r?\n/));
      lines.forEach((l, i) => {
        if (/^(ReadWritePaths|RuntimeDirectory)=\S/.test(l) && !oldLines.has(l)) {
          assert.equal(sectionOf(lines, i), 'Service', `'${l}' is not in [Service] of ${u}`);
          const paths = l
            .slice(l.indexOf('=') + 1)
            .trim()
            .split(/\s+/);
          // ReadWritePaths= takes absolute paths, RuntimeDirectory= names relative to /run.
          for (const p of paths)
            assert.match(p, l.startsWith('ReadWritePaths=') ? /^-?\+?\// : /^[^/]/, `'${p}' does not fit ${l}`);
          added.push(l);
        }
      });
    }
    assert.ok(added.length > 0, `'${found.action.title}' added no ReadWritePaths= or RuntimeDirectory= line`);
  });

  test('the "move the hardening into a drop-in" fix moves PrivateTmp=true from nginx.service into nginx.service.d/hardening.conf', async () => {
    await sandboxDiagnostics();
    const all = await allActions();
    const found = all.find((x) => MOVE_TO_DROPIN.test(x.action.title) && x.action.edit?.has(hardeningUri()));
    assert.ok(
      found,
      `no action titled ${MOVE_TO_DROPIN} that writes ${hardeningUri().fsPath}; actions:\n${titles(all)}`,
    );
    // The editor applies an action's edit, then runs its command: the client adds one that opens the new drop-in.
    assert.equal(
      found.action.command?.command,
      OPEN_FILES_COMMAND,
      `'${found.action.title}' has no command that opens the files it writes`,
    );
    await apply(found.action);
    assert.equal(
      vscode.window.activeTextEditor?.document.uri.toString(),
      hardeningUri().toString(),
      `the active editor after '${found.action.title}'`,
    );
    const stat = await vscode.workspace.fs.stat(hardeningUri()).then(
      (s) => s,
      () => null,
    );
    assert.ok(stat, `'${found.action.title}' did not create ${hardeningUri().fsPath}`);
    const dropin = await openAsUnit(hardeningUri());
    const lines = dropin.getText().split(/\r?\n/);
    assert.ok(
      lines.some((l) => /^\[Service\]\s*$/.test(l)),
      `no [Service] header in ${HARDENING_DROPIN}:\n${dropin.getText()}`,
    );
    const moved = lines.filter((l) => ASSIGNMENT.test(l));
    moved.forEach((l) => assert.equal(sectionOf(lines, lines.indexOf(l)), 'Service', `'${l}' is not under [Service]`));
    assert.ok(
      moved.some((l) => /^PrivateTmp=true\s*$/.test(l)),
      `PrivateTmp=true is not in ${HARDENING_DROPIN}:\n${dropin.getText()}`,
    );
    const unit = (await vscode.workspace.openTextDocument(unitUri())).getText();
    const unitLines = new Set(unit.split(/\r?\n/).map((l) => l.trim()));
    assert.deepEqual(
      moved.filter((l) => unitLines.has(l.trim())),
      [],
      `settings now in ${HARDENING_DROPIN} are still in nginx.service`,
    );
    assert.match(unit, /^ExecStart=\/usr\/sbin\/nginx /m, 'the move took more than the sandboxing settings');
  });

  test('"Harden this unit…" (systemdHardening.hardenUnit) shows the preview, writes nginx.service.d/hardening.conf to disk whole and opens it', async () => {
    // The move above left its edits unsaved, as an editor does; an administrator saves before hardening.
    assert.equal(await vscode.workspace.saveAll(false), true, 'the moved settings are saved');
    await sandboxDiagnostics();
    // The summary sits on [Service] of the unit's document opened or changed last (hardening.conf since
    // the move above); its action carries the command with that document's URI.
    const files = [unitUri(), dropinUri(), hardeningUri()];
    const shown = await waitUntil(() => {
      for (const uri of files) {
        const d = ours(uri).find(
          (x) => x.code !== undefined && (typeof x.code === 'object' ? x.code.value : x.code) === 'exposure-summary',
        );
        if (d) return { uri, d };
      }
      return undefined;
    }, 'the exposure summary on one file of nginx.service');
    assert.equal(
      files.filter((u) => ours(u).some((x) => /^nginx\.service: exposure /.test(x.message))).length,
      1,
      'the summary shows in one file only',
    );
    const action = (await actionsAt(shown.uri, shown.d.range)).find((a) => a.title === 'Harden this unit…');
    assert.ok(action?.command, `no "Harden this unit…" action on the summary: ${shown.d.message}`);
    assert.equal(action.command.command, 'systemdHardening.hardenUnit');
    assert.equal(action.edit, undefined, 'the action previews before it writes: no edit of its own');
    // Run as the action runs it, without the dialog (confirm: false), which a test cannot answer.
    const outcome = await vscode.commands.executeCommand<string>(
      action.command.command,
      ...(action.command.arguments ?? []),
      { confirm: false },
    );
    assert.equal(outcome, 'written');
    const preview = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'systemd-hardening-harden');
    assert.ok(preview, 'no preview document');
    const text = preview.getText();
    assert.match(text, /^# Harden nginx\.service$/m);
    assert.match(text, /\*\*Exposure \d+\.\d [A-Z]+ → \d+\.\d [A-Z]+\*\*/);
    assert.match(text, /^## Left open$/m);
    assert.equal(
      vscode.window.activeTextEditor?.document.uri.toString(),
      hardeningUri().toString(),
      'the active editor is hardening.conf',
    );
    const opened = vscode.window.activeTextEditor!.document;
    assert.equal(opened.isDirty, false, 'hardening.conf is saved');
    const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(hardeningUri()));
    assert.equal(onDisk, opened.getText());
    assert.match(onDisk, /^\[Service\]$/m);
    const fenced = /```ini\n([\s\S]*?)\n```/.exec(text)?.[1];
    assert.equal(onDisk.replace(/\n$/, ''), fenced, 'the file holds exactly the previewed drop-in');
  });
});
