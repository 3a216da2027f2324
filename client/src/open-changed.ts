/**
 * Code actions whose edit changes other files than the document they were asked for (the
 * "move the hardening into NAME.service.d/hardening.conf" and "create a hardening drop-in" fixes)
 * would leave those files unseen: the editor applies a WorkspaceEdit without showing the files it
 * creates. A middleware gives such actions a command that opens those files once the edit is applied
 * (the editor runs an action's command after its edit).
 */
import * as vscode from 'vscode';

export const OPEN_FILES_COMMAND = 'systemdHardening.openFiles';

/** The files an edit changes other than `current`, in the edit's order. */
export function otherFiles(edit: vscode.WorkspaceEdit, current: vscode.Uri): vscode.Uri[] {
  const seen = new Set<string>([current.toString()]);
  const out: vscode.Uri[] = [];
  for (const [uri] of edit.entries()) {
    if (seen.has(uri.toString())) continue;
    seen.add(uri.toString());
    out.push(uri);
  }
  return out;
}

/** The action, with a command that opens the other files its edit changes (when it has no command of its own). */
export function withOpenCommand(
  action: vscode.Command | vscode.CodeAction,
  current: vscode.Uri,
): vscode.Command | vscode.CodeAction {
  if (typeof action.command === 'string' || !('edit' in action) || !action.edit || action.command) return action;
  const files = otherFiles(action.edit, current);
  if (files.length === 0) return action;
  action.command = {
    command: OPEN_FILES_COMMAND,
    title: 'Open the changed files',
    arguments: [files.map((u) => u.toString())],
  };
  return action;
}

/** Opens each file (as a kept editor, not a preview), the last one focused. */
export async function openFiles(uris: ReadonlyArray<string | vscode.Uri>): Promise<void> {
  for (const u of uris) {
    const uri = typeof u === 'string' ? vscode.Uri.parse(u) : u;
    await vscode.window.showTextDocument(uri, { preview: false, viewColumn: vscode.ViewColumn.Active });
  }
}
