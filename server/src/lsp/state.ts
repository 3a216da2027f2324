/**
 * What the language server's handlers share: the open documents, the disk, the settings and the
 * policy they name, what the client can do, and logging. One object, made by startServer (server.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, type HardeningSettings } from '../../../protocol/protocol';
import { hardeningService, type AutoTarget, type Policy, type SupportedVersion } from '../service';
import { readSystemdFiles } from '../io/systemd-version';
import { Disk } from './disk';
import type { TraceLevel } from './lifecycle';
import { OpenDocuments } from './open-documents';
import { normalizeSettings, versionOf } from './settings';

/** Where the rule docs ship: docs/rules.md next to the bundles' folder. */
function docsUrl(): string | null {
  const p = join(__dirname, '..', 'docs', 'rules.md');
  return existsSync(p) ? pathToFileURL(p).href : null;
}

/** What the client said it supports in `initialize`. */
export interface ClientCapabilities {
  /** workspace/configuration: settings are fetched, not pushed. */
  configure: boolean;
  /** Workspace edits that create files (code actions whose lines go into a new drop-in). */
  createFiles: boolean;
  /** window/workDoneProgress/create. */
  showProgress: boolean;
  /** Completion items' labelDetails. */
  labelDetails: boolean;
  /** workspace/codeLens/refresh. */
  refreshLenses: boolean;
}

export class ServerState {
  readonly documents = new TextDocuments(TextDocument);
  readonly disk = new Disk();
  /** Per open document: path, unit, what was last published, pending analysis. */
  readonly open = new OpenDocuments((uri) => this.documents.get(uri));
  settings: HardeningSettings = DEFAULT_SETTINGS;
  /** Grows with every settings change: analyses and recommendations of older generations are stale. */
  settingsGeneration = 0;
  policy: Policy | undefined;
  readonly can: ClientCapabilities = {
    configure: false,
    createFiles: false,
    showProgress: false,
    labelDetails: false,
    refreshLenses: false,
  };
  workspaceRoots: string[] = [];
  readonly rulesUrl = docsUrl();

  constructor(
    readonly connection: Connection,
    private readonly lifecycle: { readonly trace: TraceLevel },
  ) {}

  /** `auto`'s answer, worked out on first use after start or after the setting changed (the installed systemd rarely changes). */
  private auto: AutoTarget | null = null;

  /** The target systemd version of the settings (`auto`: the systemd installed where the server runs). */
  get version(): SupportedVersion {
    return this.settings.systemdVersion === 'auto' ? this.autoTarget().version : versionOf(this.settings);
  }

  /** The target as the status bar shows it: `252`, or for auto `252 (auto)`, `252 (auto: 255.4 found)`, `252 (assumed)`. */
  get targetLabel(): string {
    return this.settings.systemdVersion === 'auto' ? this.autoTarget().label : this.settings.systemdVersion;
  }

  /**
   * The target for `auto`, from the files of this machine (io/systemd-version.ts: PID 1's program, the
   * library folders, the package database, os-release; never a process). Logged once when worked out.
   */
  autoTarget(): AutoTarget {
    if (!this.auto) {
      this.auto = hardeningService.autoTarget(readSystemdFiles(), hardeningService.defaultVersion);
      this.info(this.auto.message);
    }
    return this.auto;
  }

  /** Whether the client's trace is on (then the analyses are timed). */
  get tracing(): boolean {
    return this.lifecycle.trace !== 'off';
  }

  log(message: string): void {
    this.connection.console.log(message);
  }

  info(message: string): void {
    this.connection.console.info(message);
  }

  warn(message: string): void {
    this.connection.console.warn(message);
  }

  error(message: string): void {
    this.connection.console.error(message);
  }

  /** A line for the client's trace (`$/logTrace`, shown when its trace setting is on); the text is built only then. */
  trace(message: string | (() => string)): void {
    if (this.lifecycle.trace !== 'off') this.connection.tracer.log(typeof message === 'string' ? message : message());
  }

  /** New settings (from `initialize`, a pushed change or workspace/configuration): a new generation, the policy read again. */
  setSettings(raw: unknown): void {
    const before = this.settings.systemdVersion;
    this.settings = normalizeSettings(raw);
    this.settingsGeneration++;
    // auto is worked out again when the setting changes to it (restarting the server does it too).
    if (this.settings.systemdVersion !== before) this.auto = null;
    this.loadPolicy();
  }

  /** Reads `systemdHardening.policyFile` (systemd's weights when unset or unreadable). */
  loadPolicy(): void {
    this.policy = undefined;
    const file = this.settings.policyFile;
    if (!file) return;
    const text = this.disk.readText(file);
    if (text === null) {
      this.warn(`systemdHardening.policyFile: cannot read ${file}; using systemd's weights`);
      return;
    }
    try {
      this.policy = JSON.parse(text) as Policy;
    } catch (e) {
      this.warn(`systemdHardening.policyFile: ${file} is not JSON (${(e as Error).message}); using systemd's weights`);
    }
  }
}
