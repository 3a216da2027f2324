/**
 * Shows a read-only markdown document of ours (the check table, the harden preview) in the markdown
 * preview beside the editor. Without the built-in markdown extension, the markdown source opens instead.
 */
import * as vscode from 'vscode';
import type { Log } from './log';

/** `what` names the document in the log line when the preview is not available. */
export async function showMarkdownBeside(uri: vscode.Uri, what: string, log: Log): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== 'markdown') await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch (e) {
    log.error(`The markdown preview is not available; showing ${what} as text`, e);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
}
