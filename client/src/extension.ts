/**
 * The VS Code client: starts the language server, shows the exposure of the active unit in the
 * status bar, ranks the workspace's units in a view of its own, shows a unit's check table, and logs
 * to the "systemd Hardening" output channel. No analysis here: it all comes from the server over LSP.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SERVER_ENV } from '../../protocol/launch';
import { EXPOSURE_CHANGED, FIGURE_WORDS, type ExposureChanged } from '../../protocol/protocol';
import { CheckTableProvider, TABLE_SCHEME, showCheckTable, sourceOf } from './check-table-view';
import { Log, TraceChannel, traceSetting } from './log';
import { OPEN_FILES_COMMAND, openFiles, withOpenCommand } from './open-changed';
import { UnitsView } from './units-view';
import { HARDEN_SCHEME, HardenPreviewProvider, hardenCommand, type HardenOptions } from './harden';

let client: LanguageClient | undefined;

export interface ExtensionApi {
  /** Milliseconds from activate() being called to the language client running. */
  activationMs: number;
  /** The exposure the status bar shows for a document (for tests and other extensions). */
  exposureOf(uri: string): ExposureChanged | undefined;
  statusText(): string;
  /** The last lines written to the "systemd Hardening" output channel, each as "[level] text". */
  outputLines(): readonly string[];
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const started = Date.now();
  const log = new Log();
  const traceChannel = new TraceChannel(log);
  context.subscriptions.push(log, traceChannel);
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '?');
  const settings = vscode.workspace.getConfiguration('systemdHardening');
  log.info(`systemd Hardening ${version} (VS Code ${vscode.version}, Node ${process.versions.node})`);
  log.info(`Language server: ${module}`);
  log.info(
    `Target systemd version: ${settings.get<string>('systemdVersion', 'auto')}; policy file: ${settings.get<string>('policyFile', '') || '(none)'}; trace: ${traceSetting()}`,
  );

  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env: SERVER_ENV } },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { env: SERVER_ENV, execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'systemd-unit' }],
    synchronize: {
      configurationSection: 'systemdHardening',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{service,conf,socket,timer}'),
    },
    initializationOptions: { settings },
    outputChannel: log.channel,
    traceOutputChannel: traceChannel,
    middleware: {
      // Fixes that write another file (a new hardening drop-in) open it once applied.
      provideCodeActions: async (document, range, ctx, token, next) => {
        const actions = await next(document, range, ctx, token);
        return actions?.map((a) => withOpenCommand(a, document.uri));
      },
    },
  };
  // The id 'systemdHardening' makes the client read `systemdHardening.trace.server`.
  client = new LanguageClient('systemdHardening', 'systemd Hardening', serverOptions, clientOptions);
  context.subscriptions.push(
    client.onDidChangeState((e) => {
      const names: Record<number, string> = { 1: 'stopped', 2: 'running', 3: 'starting' };
      log.info(`Language server ${names[e.newState] ?? e.newState}`);
    }),
  );

  const exposures = new Map<string, ExposureChanged>();
  const status = vscode.window.createStatusBarItem('systemdHardening.exposure', vscode.StatusBarAlignment.Right, 100);
  status.name = 'systemd Hardening: Exposure';
  status.command = 'systemdHardening.showCheckTable';
  context.subscriptions.push(status);

  const updateStatus = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    const e = doc && doc.languageId === 'systemd-unit' ? exposures.get(doc.uri.toString()) : undefined;
    if (!e || !e.unit) {
      status.hide();
      return;
    }
    const target = e.target ? ` · systemd ${e.target}` : '';
    // Where the running manager's figure differs from the file's: both ("3.3 OK in the file, 3.1 once running").
    const other = e.otherFigure;
    const figures =
      other && e.figure ? ` ${FIGURE_WORDS[e.figure]}, ${other.exposure.toFixed(1)} ${FIGURE_WORDS[other.figure]}` : '';
    status.text =
      e.exposure === null
        ? `$(shield) ${e.unit}: not loadable${target}`
        : `$(shield) ${e.exposure.toFixed(1)} ${e.band}${figures}${target}`;
    status.tooltip =
      `systemd-analyze security exposure of ${e.unit}` +
      (e.target ? ` as systemd ${e.target} scores it` : '') +
      (other && e.figure
        ? ` (${e.figure} figure; ${other.figure}: ${other.exposure.toFixed(1)} ${other.band}. ${other.why})`
        : '') +
      ': click for the full check table (the output channel says how auto found its version)';
    status.show();
  };

  const units = new UnitsView(() => client);
  const tables = new CheckTableProvider(() => client, log);
  const hardenPreviews = new HardenPreviewProvider();
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('systemdHardening.units', units),
    vscode.workspace.registerTextDocumentContentProvider(TABLE_SCHEME, tables),
    tables,
    vscode.workspace.registerTextDocumentContentProvider(HARDEN_SCHEME, hardenPreviews),
    hardenPreviews,
  );

  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.workspace.onDidSaveTextDocument(() => units.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('systemdHardening')) return;
      const c = vscode.workspace.getConfiguration('systemdHardening');
      log.info(
        `Settings changed: target systemd version ${c.get<string>('systemdVersion', '252')}; policy file: ${c.get<string>('policyFile', '') || '(none)'}`,
      );
    }),
    vscode.commands.registerCommand('systemdHardening.showCheckTable', async (arg?: string | vscode.Uri) => {
      let uri = typeof arg === 'string' ? vscode.Uri.parse(arg) : arg;
      uri ??= vscode.window.activeTextEditor?.document.uri;
      // From the preview's own title bar: the table's unit.
      if (uri?.scheme === TABLE_SCHEME) uri = sourceOf(uri);
      if (!uri) {
        void vscode.window.showInformationMessage(
          'Open a service unit or one of its drop-ins to see its exposure check table.',
        );
        return;
      }
      await showCheckTable(uri, log);
    }),
    vscode.commands.registerCommand(OPEN_FILES_COMMAND, (uris: ReadonlyArray<string | vscode.Uri>) =>
      openFiles(uris ?? []),
    ),
    // From the summary diagnostic's action (a URI), the units view (a row), the palette (the active editor).
    vscode.commands.registerCommand('systemdHardening.hardenUnit', (arg?: unknown, options?: HardenOptions) =>
      hardenCommand(client, log, hardenPreviews, arg, options),
    ),
    vscode.commands.registerCommand('systemdHardening.refreshUnits', () => units.refresh()),
    vscode.commands.registerCommand('systemdHardening.showOutput', () => log.channel.show(true)),
    vscode.commands.registerCommand('systemdHardening.restartServer', async () => {
      if (!client) return;
      log.info('Restarting the language server');
      try {
        await client.restart();
        tables.refreshAll();
        units.refresh();
      } catch (e) {
        log.error('The language server did not restart', e);
        void vscode.window.showErrorMessage('The systemd Hardening language server did not restart (see its output).');
      }
    }),
  );

  context.subscriptions.push(
    client.onNotification(EXPOSURE_CHANGED, (e: ExposureChanged) => {
      exposures.set(e.uri, e);
      updateStatus();
      units.refreshSoon();
      tables.exposureChanged(e);
    }),
  );
  try {
    await client.start();
  } catch (e) {
    log.error(`The language server did not start (${module})`, e);
    log.channel.show(true);
    throw e;
  }
  updateStatus();
  // The view may have asked for its rows before the server ran.
  units.refresh();

  const activationMs = Date.now() - started;
  log.info(`Ready in ${activationMs} ms`);
  return {
    activationMs,
    exposureOf: (uri) => exposures.get(uri),
    statusText: () => (status.text && vscode.window.activeTextEditor ? status.text : ''),
    outputLines: () => log.lines(),
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
