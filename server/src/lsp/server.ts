/**
 * The language server: keeps open documents, resolves the unit each belongs to (drop-ins found on
 * disk and in open editors), runs the core after a short per-document debounce, caches the result by
 * the texts it was computed from, and answers LSP requests from that cache. This file wires the
 * handlers; each concern has its own file:
 *   state.ts             what the handlers share (documents, disk, settings, policy, client capabilities, logging)
 *   analyses.ts          the analysis of each document, cached by the texts it read
 *   publish.ts           diagnostics and exposureChanged, debounced per document
 *   advice.ts            the exposure summary and the recommended drop-in it quotes, worked out when the unit is still
 *   code-actions.ts      textDocument/codeAction
 *   exposure.ts          code lens and systemdHardening/exposure
 *   features.ts          completion and hover
 *   harden.ts            systemdHardening/harden
 *   workspace-request.ts systemdHardening/workspaceUnits
 */
import {
  CodeActionKind,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { EXPOSURE_REQUEST, HARDEN_REQUEST, WORKSPACE_UNITS_REQUEST } from '../../../protocol/protocol';
import { Advice } from './advice';
import { Analyses } from './analyses';
import { codeActionHandler } from './code-actions';
import { codeLensHandler, exposureHandler } from './exposure';
import { completionHandler, hoverHandler } from './features';
import { hardenHandler } from './harden';
import type { TraceLevel } from './lifecycle';
import { Publisher } from './publish';
import { normalizeSettings } from './settings';
import { ServerState } from './state';
import { pathOfUri } from './units';
import { workspaceUnitsHandler } from './workspace-request';
import { version as extensionVersion } from '../../../package.json';

export function startServer(connection: Connection, lifecycle: { readonly trace: TraceLevel }): void {
  const state = new ServerState(connection, lifecycle);
  const analyses = new Analyses(state);
  const publisher = new Publisher(state, analyses);
  const advice = new Advice(state, analyses, (uri) => publisher.publish(uri));
  publisher.advice = advice;
  const { documents, open, can } = state;

  /** Settings from workspace/configuration (the defaults when the client fails to answer); recommendations are worked out again. */
  async function fetchSettings(): Promise<void> {
    if (!can.configure) return;
    let raw: unknown;
    try {
      [raw] = (await connection.workspace.getConfiguration([{ section: 'systemdHardening' }])) as unknown[];
    } catch {
      raw = undefined;
    }
    advice.clear();
    state.setSettings(raw);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    can.configure = caps.workspace?.configuration === true;
    can.showProgress = caps.window?.workDoneProgress === true;
    can.labelDetails = caps.textDocument?.completion?.completionItem?.labelDetailsSupport === true;
    can.refreshLenses = caps.workspace?.codeLens?.refreshSupport === true;
    const ops = caps.workspace?.workspaceEdit?.resourceOperations ?? [];
    can.createFiles = caps.workspace?.workspaceEdit?.documentChanges === true && ops.includes('create');
    state.workspaceRoots = (params.workspaceFolders ?? [])
      .map((f) => pathOfUri(f.uri))
      .filter((p) => p.startsWith('/'));
    if (state.workspaceRoots.length === 0 && params.rootUri) state.workspaceRoots = [pathOfUri(params.rootUri)];
    const init = (params.initializationOptions ?? {}) as { settings?: unknown };
    if (init.settings) state.settings = normalizeSettings(init.settings);
    state.loadPolicy();
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['=', ' ', '~', '@', ':', '['], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'systemd-hardening', version: extensionVersion },
    };
  });

  connection.onInitialized(async () => {
    if (can.configure) {
      await fetchSettings();
      publisher.rescheduleAll();
    }
    state.info(
      `systemd-hardening ${extensionVersion} language server on node ${process.version}: systemd ${state.targetLabel}, workspace ${state.workspaceRoots.length ? state.workspaceRoots.join(', ') : '(none)'}`,
    );
  });

  connection.onDidChangeConfiguration(async (change) => {
    const target = state.settings.systemdVersion;
    if (can.configure) await fetchSettings();
    else state.setSettings((change.settings as { systemdHardening?: unknown } | null)?.systemdHardening);
    if (state.settings.systemdVersion !== target) state.info(`target systemd version: ${state.targetLabel}`);
    publisher.rescheduleAll();
  });

  connection.onDidChangeWatchedFiles(() => {
    state.disk.forget();
    publisher.rescheduleAll();
  });

  documents.onDidOpen((e) => {
    open.open(e.document.uri);
    publisher.schedule(e.document.uri, 0);
  });
  documents.onDidChangeContent((e) => {
    open.touch(e.document.uri);
    publisher.scheduleUnit(e.document.uri);
  });
  documents.onDidClose((e) => {
    open.close(e.document.uri)?.cancel?.();
    analyses.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    for (const s of open.all()) publisher.schedule(s.uri);
  });

  connection.onCodeAction(codeActionHandler(state, analyses, advice));
  connection.onCodeLens(codeLensHandler(analyses));
  connection.onCompletion((params) =>
    completionHandler(params, (uri) => analyses.get(uri), state.version, can.labelDetails),
  );
  connection.onHover((params) => hoverHandler(params, (uri) => analyses.get(uri), state.version));
  connection.onRequest(EXPOSURE_REQUEST, exposureHandler(analyses));
  connection.onRequest(HARDEN_REQUEST, hardenHandler(state, analyses, advice));
  connection.onRequest(WORKSPACE_UNITS_REQUEST, workspaceUnitsHandler(state));

  documents.listen(connection);
  connection.listen();
}
