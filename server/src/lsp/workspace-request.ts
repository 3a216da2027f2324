/**
 * `systemdHardening/workspaceUnits`: the scan of workspace.ts as a request, with work-done progress
 * and cancellation.
 */
import { performance } from 'node:perf_hooks';
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import type { WorkspaceUnitsParams, WorkspaceUnitsResult } from '../../../protocol/protocol';
import type { ServerState } from './state';
import { scanWorkspace } from './workspace';

export function workspaceUnitsHandler(
  state: ServerState,
): (
  params: WorkspaceUnitsParams | null,
  token: CancellationToken,
) => Promise<WorkspaceUnitsResult | ResponseError<void>> {
  const connection = state.connection;
  return async (params, token) => {
    // Progress on the request's own token when it has one, else on one the server creates when the
    // client supports it (window/workDoneProgress/create); otherwise nobody listens.
    const own = connection.window.attachWorkDoneProgress(params?.workDoneToken);
    const created =
      params?.workDoneToken === undefined && state.can.showProgress
        ? await connection.window.createWorkDoneProgress().catch(() => null)
        : null;
    const reporter = created ?? own;
    const clientCancel = created?.token ?? null;
    const started = performance.now();
    reporter.begin("Scoring the workspace's units", 0, undefined, true);
    try {
      const result = await scanWorkspace(state.workspaceRoots, state.open, state.disk, state.version, state.policy, {
        cancelled: () => token.isCancellationRequested || clientCancel?.isCancellationRequested === true,
        progress: (message, done, total) => reporter.report(total ? Math.floor((100 * done) / total) : 0, message),
      });
      if (!result) {
        state.trace(`workspace scan cancelled after ${(performance.now() - started).toFixed(0)} ms`);
        return new ResponseError(LSPErrorCodes.RequestCancelled, 'the workspace scan was cancelled');
      }
      if (result.truncated) state.log(`workspace scan: ${result.truncated}`);
      state.trace(`workspace scan: ${result.units.length} units in ${(performance.now() - started).toFixed(0)} ms`);
      return result;
    } catch (e) {
      state.error(`workspace scan failed: ${(e as Error).stack ?? String(e)}`);
      throw e;
    } finally {
      reporter.done();
    }
  };
}
