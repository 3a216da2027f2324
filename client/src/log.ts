/**
 * The "systemd Hardening" output channel: start-up facts, errors, and the language server's
 * trace when `systemdHardening.trace.server` asks for it.
 *
 * vscode-languageclient 11 traces only when its trace channel's log level is Trace, and then reads
 * `trace.server` only to choose between "messages" and "verbose" ("off" counts as "messages"). So the
 * client gets its own trace channel (TraceChannel below) whose log level follows the setting: Info for
 * "off", Trace otherwise. Its lines go into the same output channel, so everything is in one place.
 */
import * as vscode from 'vscode';

export const CHANNEL_NAME = 'systemd Hardening';
export const TRACE_SETTING = 'systemdHardening.trace.server';
/** Lines kept in memory for `lines()` (the extension API and its tests read them back). */
const KEPT_LINES = 2000;

export type TraceSetting = 'off' | 'messages' | 'verbose';

export function traceSetting(): TraceSetting {
  const v = vscode.workspace.getConfiguration().get<string>(TRACE_SETTING, 'off');
  return v === 'messages' || v === 'verbose' ? v : 'off';
}

/** The output channel and a bounded copy of what was written to it. */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly kept: string[] = [];

  constructor() {
    this.channel = vscode.window.createOutputChannel(CHANNEL_NAME, { log: true });
  }

  private keep(level: string, message: string): void {
    for (const line of message.split('\n')) this.kept.push(`[${level}] ${line}`);
    if (this.kept.length > KEPT_LINES) this.kept.splice(0, this.kept.length - KEPT_LINES);
  }

  info(message: string): void {
    this.keep('info', message);
    this.channel.info(message);
  }

  error(message: string, error?: unknown): void {
    const text =
      error === undefined
        ? message
        : `${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    this.keep('error', text);
    this.channel.error(text);
  }

  /** A trace line of the language client; shown at info level, since the setting already chose to show it. */
  trace(message: string): void {
    this.keep('trace', message);
    this.channel.info(`[trace] ${message}`);
  }

  /** What was written so far (the last lines), each as "[level] text". */
  lines(): readonly string[] {
    return this.kept;
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/**
 * The language client's trace channel. Its log level stands for `systemdHardening.trace.server`
 * (Trace when the setting is "messages" or "verbose", Info when "off"), and it writes into the Log.
 */
export class TraceChannel implements vscode.LogOutputChannel {
  readonly name = `${CHANNEL_NAME} (trace)`;
  private readonly levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  readonly onDidChangeLogLevel = this.levelChanged.event;
  private level: vscode.LogLevel;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly log: Log) {
    this.level = TraceChannel.levelOf(traceSetting());
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(TRACE_SETTING)) return;
      const next = TraceChannel.levelOf(traceSetting());
      if (next === this.level) return;
      this.level = next;
      this.log.info(`Trace of the language server: ${traceSetting()}`);
      this.levelChanged.fire(next);
    });
  }

  static levelOf(setting: TraceSetting): vscode.LogLevel {
    return setting === 'off' ? vscode.LogLevel.Info : vscode.LogLevel.Trace;
  }

  get logLevel(): vscode.LogLevel {
    return this.level;
  }

  trace(message: string): void {
    if (this.level === vscode.LogLevel.Trace) this.log.trace(message);
  }
  debug(message: string): void {
    this.trace(message);
  }
  info(message: string): void {
    this.log.info(message);
  }
  warn(message: string): void {
    this.log.info(`warning: ${message}`);
  }
  error(message: string | Error): void {
    this.log.error(typeof message === 'string' ? message : message.message);
  }
  append(value: string): void {
    this.trace(value);
  }
  appendLine(value: string): void {
    this.trace(value);
  }
  replace(value: string): void {
    this.trace(value);
  }
  clear(): void {
    /* the lines belong to the shared channel */
  }
  show(preserveFocus?: boolean): void;
  show(column?: vscode.ViewColumn, preserveFocus?: boolean): void;
  show(a?: boolean | vscode.ViewColumn, b?: boolean): void {
    this.log.channel.show(typeof a === 'boolean' ? a : (b ?? true));
  }
  hide(): void {
    this.log.channel.hide();
  }
  dispose(): void {
    this.subscription.dispose();
    this.levelChanged.dispose();
  }
}
