/**
 * The VS Code client: starts the language server, shows the exposure of the active unit in the
 * status bar, ranks the workspace's units in a view, and offers two commands. No analysis here: it
 * all comes from the server over LSP.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_ENV } from '../../protocol/launch';
import { EXPOSURE_CHANGED, EXPOSURE_REQUEST, type ExposureChanged, type ExposureResult } from '../../protocol/protocol';
import { checkTableMarkdown } from './check-table';
import { UnitsView } from './units-view';

let client: LanguageClient | undefined;

export interface ExtensionApi {
  /** Milliseconds from activate() being called to the language client running. */
  activationMs: number;
  /** The exposure the status bar shows for a document (for tests and other extensions). */
  exposureOf(uri: string): ExposureChanged | undefined;
  statusText(): string;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const started = Date.now();
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env: SERVER_ENV } },
    debug: { module, transport: TransportKind.ipc, options: { env: SERVER_ENV, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'systemd-unit' }],
    synchronize: {
      configurationSection: 'systemdHardening',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{service,conf,socket,timer}'),
    },
    initializationOptions: { settings: vscode.workspace.getConfiguration('systemdHardening') },
  };
  client = new LanguageClient('systemdHardening', 'systemd Hardening', serverOptions, clientOptions);

  const exposures = new Map<string, ExposureChanged>();
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  status.command = 'systemdHardening.showCheckTable';
  context.subscriptions.push(status);

  const updateStatus = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    const e = doc && doc.languageId === 'systemd-unit' ? exposures.get(doc.uri.toString()) : undefined;
    if (!e || !e.unit) {
      status.hide();
      return;
    }
    status.text = e.exposure === null ? `$(shield) ${e.unit}: not loadable` : `$(shield) ${e.exposure.toFixed(1)} ${e.band}`;
    status.tooltip = `systemd-analyze security exposure of ${e.unit}: click for the full check table`;
    status.show();
  };

  const units = new UnitsView(() => client);
  context.subscriptions.push(vscode.window.registerTreeDataProvider('systemdHardening.units', units));

  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.workspace.onDidSaveTextDocument(() => units.refresh()),
    vscode.commands.registerCommand('systemdHardening.showCheckTable', async (arg?: string | vscode.Uri) => {
      const uri = (typeof arg === 'string' ? arg : arg?.toString()) ?? vscode.window.activeTextEditor?.document.uri.toString();
      if (!uri || !client) return;
      const report = await client.sendRequest<ExposureResult>(EXPOSURE_REQUEST, { uri });
      if (!report) {
        void vscode.window.showInformationMessage('Exposure is computed for service units and their drop-ins only.');
        return;
      }
      const doc = await vscode.workspace.openTextDocument({ content: checkTableMarkdown(report), language: 'markdown' });
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    }),
    vscode.commands.registerCommand('systemdHardening.createHardeningDropin', async (arg?: vscode.Uri) => {
      const editor = vscode.window.activeTextEditor;
      const uri = arg ?? editor?.document.uri;
      if (!uri) return;
      const doc = await vscode.workspace.openTextDocument(uri);
      const whole = new vscode.Range(0, 0, doc.lineCount, 0);
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, whole)) ?? [];
      const create = actions.find((a) => a.title.startsWith('Create ') && a.edit);
      if (!create?.edit) {
        void vscode.window.showInformationMessage('No hardening drop-in to create: the unit already has one, or nothing is left to harden safely.');
        return;
      }
      await vscode.workspace.applyEdit(create.edit);
      const created = create.edit.entries().map(([u]) => u).find((u) => u.path.endsWith('/hardening.conf'));
      if (created) await vscode.window.showTextDocument(created);
    }),
    vscode.commands.registerCommand('systemdHardening.refreshUnits', () => units.refresh()),
  );

  await client.start();
  context.subscriptions.push(
    client.onNotification(EXPOSURE_CHANGED, (e: ExposureChanged) => {
      exposures.set(e.uri, e);
      updateStatus();
      units.refreshSoon();
    }),
  );
  updateStatus();

  const activationMs = Date.now() - started;
  return {
    activationMs,
    exposureOf: (uri) => exposures.get(uri),
    statusText: () => (status.text && vscode.window.activeTextEditor ? status.text : ''),
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
