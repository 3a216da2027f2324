/** The "Unit exposure" view: the workspace's service units ranked like `systemd-analyze security` with no arguments. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WORKSPACE_UNITS_REQUEST, type WorkspaceUnit, type WorkspaceUnitsResult } from '../../protocol/protocol';

export class UnitsView implements vscode.TreeDataProvider<WorkspaceUnit> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loaded = false;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  refresh(): void {
    this.changed.fire();
  }

  /** Refreshes after a burst of changes settles. */
  refreshSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 1000);
  }

  async getChildren(element?: WorkspaceUnit): Promise<WorkspaceUnit[]> {
    const c = this.client();
    if (element || !c || !c.isRunning()) return [];
    const r = await c.sendRequest<WorkspaceUnitsResult>(WORKSPACE_UNITS_REQUEST, {});
    // The welcome text ("No service units ...", package.json's viewsWelcome) waits for a real answer,
    // not for the empty list the view shows while the server starts.
    if (!this.loaded) {
      this.loaded = true;
      void vscode.commands.executeCommand('setContext', 'systemdHardening.unitsLoaded', true);
    }
    return r.units;
  }

  getTreeItem(u: WorkspaceUnit): vscode.TreeItem {
    const item = new vscode.TreeItem(u.unit, vscode.TreeItemCollapsibleState.None);
    item.description = u.exposure === null ? 'not loadable' : `${u.exposure.toFixed(1)} ${u.band}`;
    item.tooltip = u.error ?? `${u.unit}: exposure ${u.exposure?.toFixed(1)} ${u.band}`;
    item.resourceUri = vscode.Uri.parse(u.uri);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(u.uri)] };
    // "Harden this unit…" on the row (package.json: view/item/context).
    item.contextValue = u.exposure === null ? 'unit' : 'scoredUnit';
    return item;
  }
}
