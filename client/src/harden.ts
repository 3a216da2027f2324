/**
 * "Harden this unit…": asks the server for the unit's recommended drop-in (`systemdHardening/harden`,
 * what `systemd-hardening harden` prints), previews it, and on the administrator's word writes
 * NAME.service.d/hardening.conf (for a vendor unit, under /etc of the same root) and opens it.
 *
 * The preview is a read-only virtual markdown document (scheme `systemd-hardening-harden:`) in the
 * markdown preview beside the editor: the exposure before → after, the drop-in as it will be written,
 * what is left open and why, what to check afterwards, and whether an existing file is replaced. A
 * modal dialog then asks before anything is written; Cancel leaves every file as it was.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { HARDEN_REQUEST, type HardenResultMessage } from '../../protocol/protocol';
import type { Log } from './log';
import { showMarkdownBeside } from './markdown-preview';

export const HARDEN_COMMAND = 'systemdHardening.hardenUnit';
export const HARDEN_SCHEME = 'systemd-hardening-harden';

type Preview = NonNullable<HardenResultMessage>;

function figure(exposure: number | null, band: string | null): string {
  return exposure === null ? '?' : `${exposure.toFixed(1)}${band ? ` ${band}` : ''}`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The preview's markdown. */
export function hardenMarkdown(p: Preview): string {
  const lines: string[] = [`# Harden ${p.unit}`, ''];
  if (p.error) {
    lines.push(`No drop-in is recommended: ${p.error}.`);
    return lines.join('\n') + '\n';
  }
  lines.push(
    `**Exposure ${figure(p.exposureBefore, p.bandBefore)} → ${figure(p.exposureAfter, p.bandAfter)}** with the recommended drop-in (systemd-analyze security --offline=yes).`,
    '',
  );
  lines.push(
    p.profile
      ? `Profile: **${p.profileTitle ?? p.profile}** (\`${p.profile}\`).`
      : "No service profile matches this unit: the drop-in holds only what the unit's own evidence shows is safe.",
    '',
  );
  if (p.dropin === '') {
    lines.push(
      'The recommended drop-in has nothing to add: the unit already has every setting its profile or its evidence supports, or the ones left open below.',
      '',
    );
  } else if (p.dropinPath) {
    const action = p.existing === null ? 'Creates' : p.edit ? 'Replaces' : 'Already holds this text:';
    lines.push(
      `${action} \`${p.dropinPath}\`${p.existing !== null && p.edit ? ' (its present text is replaced as a whole)' : ''}. The unit file itself is not changed.`,
      '',
    );
  }
  if (p.dropin) lines.push('```ini', p.dropin.replace(/\n$/, ''), '```', '');
  if (p.leftOpen.length) {
    lines.push('## Left open', '', '| setting | why |', '|---|---|');
    for (const l of p.leftOpen) lines.push(`| \`${cell(l.setting)}\` | ${cell(l.why)} |`);
    lines.push('');
  }
  if (p.verify.length) {
    lines.push(
      '## After applying it',
      '',
      '`systemctl daemon-reload && systemctl restart ' + p.unit + '`, then check:',
      '',
    );
    for (const v of p.verify) lines.push(`- ${v}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Serves the previews (read-only, never dirty), by the URI the command made for them. */
export class HardenPreviewProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.texts.get(uri.toString()) ??
      '# Harden\n\nRun "systemd Hardening: Harden This Unit…" again to see the recommended drop-in.\n'
    );
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function previewUri(source: vscode.Uri): vscode.Uri {
  const base = source.path.slice(source.path.lastIndexOf('/') + 1) || 'unit';
  return vscode.Uri.from({ scheme: HARDEN_SCHEME, path: `/${base} hardening.md`, query: source.toString() });
}

/** What the command may be called with: a URI (string or Uri), a row of the units view ({ uri }), or nothing (the active editor). */
export function sourceUriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  if (arg && typeof arg === 'object' && typeof (arg as { uri?: unknown }).uri === 'string')
    return vscode.Uri.parse((arg as { uri: string }).uri);
  const doc = vscode.window.activeTextEditor?.document;
  return doc && doc.languageId === 'systemd-unit' ? doc.uri : undefined;
}

/** Options for tests and other extensions: `confirm: false` writes without the dialog (the preview is still shown). */
export interface HardenOptions {
  confirm?: boolean;
}

export const WRITE_BUTTON = 'Write hardening.conf';

/**
 * The command. Resolves with what happened: 'written', 'cancelled', 'nothing' (nothing to write) or
 * 'failed'.
 */
export async function hardenCommand(
  client: LanguageClient | undefined,
  log: Log,
  previews: HardenPreviewProvider,
  arg?: unknown,
  options: HardenOptions = {},
): Promise<'written' | 'cancelled' | 'nothing' | 'failed'> {
  const source = sourceUriOf(arg);
  if (!source) {
    void vscode.window.showInformationMessage(
      'Open a service unit or one of its drop-ins (or pick one in the Unit Exposure view) to harden it.',
    );
    return 'nothing';
  }
  if (!client || !client.isRunning()) {
    void vscode.window.showErrorMessage(
      'The systemd Hardening language server is not running (command "systemd Hardening: Restart Language Server").',
    );
    return 'failed';
  }
  let p: HardenResultMessage;
  try {
    p = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Working out the recommended drop-in…' },
      () => client.sendRequest<HardenResultMessage>(HARDEN_REQUEST, { uri: source.toString() }),
    );
  } catch (e) {
    log.error(`The harden request for ${source.toString()} failed`, e);
    void vscode.window.showErrorMessage(
      'The recommended drop-in could not be worked out (see the "systemd Hardening" output).',
    );
    return 'failed';
  }
  if (!p) {
    void vscode.window.showInformationMessage(
      `${source.path.slice(source.path.lastIndexOf('/') + 1)} is not a service unit or one of its drop-ins: only services are hardened.`,
    );
    return 'nothing';
  }
  const uri = previewUri(source);
  previews.set(uri, hardenMarkdown(p));
  await showMarkdownBeside(uri, 'the recommended drop-in', log);
  if (p.error) {
    void vscode.window.showWarningMessage(`${p.unit}: no drop-in is recommended: ${p.error}`);
    return 'nothing';
  }
  if (!p.edit || !p.dropinUri) {
    void vscode.window.showInformationMessage(
      p.dropin
        ? `${p.dropinPath} already holds the recommended drop-in.`
        : `${p.unit}: the recommended drop-in has nothing to add.`,
    );
    return 'nothing';
  }
  if (options.confirm !== false) {
    const open = p.leftOpen.length
      ? ` ${p.leftOpen.length} setting${p.leftOpen.length === 1 ? ' is' : 's are'} left open on purpose (see the preview).`
      : '';
    const choice = await vscode.window.showInformationMessage(
      `${p.existing === null ? 'Create' : 'Replace'} ${p.dropinPath}?`,
      {
        modal: true,
        detail: `Exposure of ${p.unit}: ${figure(p.exposureBefore, p.bandBefore)} → ${figure(p.exposureAfter, p.bandAfter)}.${open} The unit file itself is not changed.`,
      },
      WRITE_BUTTON,
    );
    if (choice !== WRITE_BUTTON) return 'cancelled';
  }
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(
    p.edit as Parameters<typeof client.protocol2CodeConverter.asWorkspaceEdit>[0],
  );
  if (!edit || !(await vscode.workspace.applyEdit(edit))) {
    log.error(`The editor refused to write ${p.dropinPath}`);
    void vscode.window.showErrorMessage(`${p.dropinPath} could not be written (see the "systemd Hardening" output).`);
    return 'failed';
  }
  const target = vscode.Uri.parse(p.dropinUri);
  const doc = await vscode.workspace.openTextDocument(target);
  // Written means on disk: systemd reads the file, not the editor's buffer.
  if (doc.isDirty && !(await doc.save())) log.error(`${p.dropinPath} was changed but not saved`);
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
  log.info(
    `Wrote ${p.dropinPath} (${p.unit}: exposure ${figure(p.exposureBefore, p.bandBefore)} → ${figure(p.exposureAfter, p.bandAfter)})`,
  );
  return 'written';
}
