/**
 * The check table of a unit as a read-only virtual markdown document, shown in the markdown preview.
 *
 * The document lives under its own scheme (`systemd-hardening-table:`), served by a
 * TextDocumentContentProvider, so it can never be edited, saved or left dirty. Its URI names the
 * unit's document in the query; its text is asked from the server (`systemdHardening/exposure`)
 * each time the editor reads it. When the server reports a new exposure for a file of that unit,
 * the provider signals a change and the editor (and the preview) read the new table.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EXPOSURE_REQUEST, type ExposureChanged, type ExposureResult } from '../../protocol/protocol';
import { checkTableMarkdown } from './check-table';
import type { Log } from './log';
import { showMarkdownBeside } from './markdown-preview';

export const TABLE_SCHEME = 'systemd-hardening-table';

/** The table URI of a unit's document: `systemd-hardening-table:/nginx.service exposure.md?<document uri>`. */
export function tableUri(source: vscode.Uri): vscode.Uri {
  const base = source.path.slice(source.path.lastIndexOf('/') + 1) || 'unit';
  return vscode.Uri.from({ scheme: TABLE_SCHEME, path: `/${base} exposure.md`, query: source.toString() });
}

/** The unit's document a table URI names. */
export function sourceOf(table: vscode.Uri): vscode.Uri {
  return vscode.Uri.parse(table.query);
}

export class CheckTableProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** What each table showed last: its unit and the files merged into it, to match exposure changes. */
  private readonly shown = new Map<string, { unit: string | null; files: Set<string> }>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly log: Log,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = sourceOf(uri);
    const c = this.client();
    if (!c || !c.isRunning())
      return `# Exposure\n\nThe language server is not running (command "systemd Hardening: Restart Language Server").\n`;
    let report: ExposureResult;
    try {
      report = await c.sendRequest<ExposureResult>(EXPOSURE_REQUEST, { uri: source.toString() });
    } catch (e) {
      this.log.error(`The exposure request for ${source.toString()} failed`, e);
      return `# Exposure\n\nThe language server could not compute the exposure of \`${source.path}\` (see the "systemd Hardening" output).\n`;
    }
    if (!report) {
      this.shown.set(uri.toString(), { unit: null, files: new Set([source.toString()]) });
      return `# Exposure\n\n\`${source.path}\` is not a service unit or one of its drop-ins: exposure is computed for those only.\n`;
    }
    this.shown.set(uri.toString(), { unit: report.unit, files: new Set([source.toString(), ...report.files]) });
    return checkTableMarkdown(report);
  }

  /** Re-reads every open table that shows the unit of this exposure change (once a burst settles). */
  exposureChanged(e: ExposureChanged): void {
    for (const [key, last] of this.shown) {
      // A table no editor holds any more costs one cheap event here; the map grows by one entry per
      // unit whose table was opened in this session.
      if (!last.files.has(e.uri) && !(e.unit && e.unit === last.unit)) continue;
      const timer = this.pending.get(key);
      if (timer) clearTimeout(timer);
      this.pending.set(
        key,
        setTimeout(() => {
          this.pending.delete(key);
          this.changed.fire(vscode.Uri.parse(key));
        }, 100),
      );
    }
  }

  /** Re-reads every open table (after the server restarted or the settings changed). */
  refreshAll(): void {
    for (const key of this.shown.keys()) this.changed.fire(vscode.Uri.parse(key));
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.changed.dispose();
  }
}

/** Opens the table of a unit's document in the markdown preview beside the editor. */
export async function showCheckTable(source: vscode.Uri, log: Log): Promise<vscode.Uri> {
  const uri = tableUri(source);
  await showMarkdownBeside(uri, 'the check table', log);
  return uri;
}
