/**
 * A minimal LSP client for tests: spawns the built `dist/server.js --stdio` and talks JSON-RPC to it
 * with vscode-jsonrpc, recording every publishDiagnostics. Waits are on notifications, bounded.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_ENV } from '../../protocol/launch';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

/** The built server; SH_TEST_SERVER runs the tests against another build (e.g. an older one, to see a test fail). */
export const SERVER_JS = process.env.SH_TEST_SERVER ?? join(resolve(__dirname, '..', '..'), 'dist', 'server.js');

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface Diagnostic {
  range: Range;
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
  data?: unknown;
}
export interface TextEdit {
  range: Range;
  newText: string;
}
export interface WorkspaceEdit {
  changes?: Record<string, TextEdit[]>;
  documentChanges?: Array<{ textDocument?: { uri: string }; edits?: TextEdit[]; kind?: string; uri?: string }>;
}
export interface CodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  diagnostics?: Diagnostic[];
  edit?: WorkspaceEdit;
  command?: { title: string; command: string; arguments?: unknown[] } | string;
}
export interface CompletionItem {
  label: string;
  labelDetails?: { detail?: string; description?: string };
  detail?: string;
  kind?: number;
  insertText?: string;
  textEdit?: { newText: string };
}
export interface Exposure {
  unit: string;
  exposure: number | null;
  band: string | null;
  checks: unknown[];
  suggestions: unknown[];
  [k: string]: unknown;
}

export const fileUri = (path: string): string => pathToFileURL(path).href;

interface Published {
  uri: string;
  version?: number | null;
  diagnostics: Diagnostic[];
}

/**
 * The target the tests pin: the server's default (`auto`) follows the systemd of the machine that runs
 * them, and the tests' figures are 252's. A test that sets `systemdVersion` itself (auto-version.test.ts)
 * keeps its own.
 */
const PINNED = { systemdVersion: '252' };

function pinned(settings: unknown): unknown {
  if (settings === null || settings === undefined) return PINNED;
  return typeof settings === 'object' && !Array.isArray(settings) ? { ...PINNED, ...settings } : settings;
}

export class LspServer {
  readonly conn: MessageConnection;
  readonly published: Published[] = [];
  /** Every \`$/progress\` notification, in order. */
  readonly progress: Array<{ token: string | number; value: { kind: string; percentage?: number; message?: string } }> =
    [];
  /** Tokens the server created with window/workDoneProgress/create. */
  readonly progressTokens: Array<string | number> = [];
  /** How many times the server asked the editor to fetch code lenses again. */
  lensRefreshes = 0;
  /** Every \`systemdHardening/exposureChanged\` notification, in order. */
  readonly exposureChanges: Array<Record<string, unknown> & { uri: string }> = [];
  /** Every \`$/logTrace\` and \`window/logMessage\` text, in order. */
  readonly logs: Array<{ method: string; message: string; type?: number }> = [];
  stderr = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  /** What the client answers to workspace/configuration for `systemdHardening` (null: the defaults). */
  settings: unknown = null;
  private listeners = new Set<() => void>();
  private versions = new Map<string, number>();

  private constructor(readonly proc: ChildProcessWithoutNullStreams) {
    proc.stderr.on('data', (b: Buffer) => (this.stderr += b.toString()));
    proc.once('exit', (code, signal) => {
      this.exit = { code, signal };
      this.notify();
    });
    this.conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      this.published.push(p);
      this.notify();
    });
    // Requests the server may send to a client: answer them as a plain client would.
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) =>
      p.items.map(() => pinned(this.settings)),
    );
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
      this.progressTokens.push(p.token);
      return null;
    });
    this.conn.onRequest('workspace/codeLens/refresh', () => {
      this.lensRefreshes++;
      this.notify();
      return null;
    });
    this.conn.onRequest('workspace/diagnostic/refresh', () => null);
    this.conn.onRequest('workspace/semanticTokens/refresh', () => null);
    this.conn.onNotification('systemdHardening/exposureChanged', (p: LspServer['exposureChanges'][number]) => {
      this.exposureChanges.push(p);
      this.notify();
    });
    this.conn.onNotification('$/progress', (p: LspServer['progress'][number]) => {
      this.progress.push(p);
      this.notify();
    });
    this.conn.onNotification('$/logTrace', (p: { message: string }) => {
      this.logs.push({ method: '$/logTrace', message: p.message });
      this.notify();
    });
    this.conn.onNotification('window/logMessage', (p: { message: string; type: number }) => {
      this.logs.push({ method: 'window/logMessage', message: p.message, type: p.type });
      this.notify();
    });
    this.conn.onNotification(() => {});
    this.conn.onError(() => {});
    this.conn.listen();
  }

  /** Starts the server; `nodeOptions` go to node before the script (e.g. --disallow-code-generation-from-strings). */
  static start(nodeOptions: readonly string[] = []): LspServer {
    const proc = spawn(process.execPath, [...nodeOptions, SERVER_JS, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...SERVER_ENV },
    });
    return new LspServer(proc);
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /**
   * Resolves once `probe` returns a value, re-checked on every notification from the server and when
   * the process ends; bounded. Unless `untilExit`, the server ending first is an error.
   */
  waitFor<T>(probe: () => T | undefined, what: string, ms = 20_000, untilExit = false): Promise<T> {
    return new Promise((resolvePromise, reject) => {
      const check = (): void => {
        const v = probe();
        if (v !== undefined) return finish(() => resolvePromise(v));
        if (this.exit && !untilExit)
          finish(() =>
            reject(
              new Error(
                `the server exited (${this.exit!.code ?? this.exit!.signal}) while waiting for ${what}\n${this.stderr}`,
              ),
            ),
          );
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`))),
        ms,
      );
      const finish = (f: () => void): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        f();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** A request with a bounded wait; a ResponseError rejects (the server answered). */
  request<R>(method: string, params: unknown, ms = 20_000): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to ${method} within ${ms} ms`)), ms);
    });
    return Promise.race([this.conn.sendRequest<R>(method, params), timeout]).finally(() => clearTimeout(timer));
  }

  async initialize(
    rootPath: string,
    extra: Record<string, unknown> = {},
  ): Promise<{ capabilities: Record<string, unknown> }> {
    const r = await this.request<{ capabilities: Record<string, unknown> }>('initialize', {
      initializationOptions: { settings: PINNED },
      ...extra,
      processId: process.pid,
      rootUri: fileUri(rootPath),
      workspaceFolders: [{ uri: fileUri(rootPath), name: 'root' }],
      capabilities: {
        ...(extra.capabilities as object | undefined),
        workspace: {
          workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
          configuration: true,
          codeLens: { refreshSupport: true },
        },
        textDocument: {
          synchronization: { didSave: true },
          publishDiagnostics: {
            relatedInformation: true,
            versionSupport: true,
            codeDescriptionSupport: true,
            dataSupport: true,
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true, labelDetailsSupport: true } },
          codeAction: {
            codeActionLiteralSupport: {
              codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'refactor.rewrite', 'source'] },
            },
            isPreferredSupport: true,
            dataSupport: true,
          },
        },
      },
    });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'systemd-unit', version: 1, text },
    });
  }

  /** Replaces the whole text (allowed under incremental sync); returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  async changeRange(uri: string, range: Range, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** A mark in the stream of published diagnostics: pass it to `diagnostics` to wait for newer ones. */
  mark(): number {
    return this.published.length;
  }

  /** The latest diagnostics published for `uri` since the mark, or undefined. */
  latest(uri: string, since = 0): Diagnostic[] | undefined {
    for (let i = this.published.length - 1; i >= since; i--) {
      const p = this.published[i]!;
      if (p.uri === uri) return p.diagnostics;
    }
    return undefined;
  }

  /** Waits until the latest diagnostics published for `uri` since the mark satisfy `ok`. */
  diagnostics(
    uri: string,
    ok: (ds: Diagnostic[]) => boolean,
    what: string,
    since = 0,
    ms = 20_000,
  ): Promise<Diagnostic[]> {
    return this.waitFor(
      () => {
        const ds = this.latest(uri, since);
        return ds && ok(ds) ? ds : undefined;
      },
      what,
      ms,
    );
  }

  /** Waits until the server has asked for fresh code lenses more than `after` times in all; bounded. */
  lensRefreshed(after: number, ms = 20_000): Promise<number> {
    return this.waitFor(
      () => (this.lensRefreshes > after ? this.lensRefreshes : undefined),
      'a workspace/codeLens/refresh request',
      ms,
    );
  }

  /** Resolves with the exit status once the process has ended; bounded. */
  exited(ms = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.waitFor(() => this.exit ?? undefined, 'the server to exit', ms, true);
  }

  alive(): boolean {
    return this.exit === null;
  }

  async stop(): Promise<void> {
    if (this.alive()) {
      await this.request('shutdown', null, 5_000).catch(() => {});
      await this.conn.sendNotification('exit').catch(() => {});
      await this.waitFor(() => (this.alive() ? undefined : true), 'the server to exit', 5_000).catch(() =>
        this.proc.kill('SIGKILL'),
      );
    }
    this.conn.dispose();
  }
}
