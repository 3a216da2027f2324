/**
 * Publishing a document's diagnostics and exposure (`publishDiagnostics`, `systemdHardening/exposureChanged`),
 * after a short per-document debounce: a keystroke re-analyses every open document of its unit.
 */
import { EXPOSURE_CHANGED, type ExposureChanged } from '../../../protocol/protocol';
import { hardeningService } from '../service';
import type { Advice } from './advice';
import { ownFile, type Analyses } from './analyses';
import { toFigureExposure, toLspDiagnostic } from './convert';
import { noteDiagnostics } from './file-notes';
import { fingerprint } from './fingerprint';
import type { ServerState } from './state';

export class Publisher {
  private lensRefreshQueued = false;
  /** Set once by the server (the advice publishes again when a recommendation is worked out). */
  advice!: Advice;

  constructor(
    private readonly state: ServerState,
    private readonly analyses: Analyses,
  ) {}

  /** Analyses the document (or takes its cached analysis) and sends what changed. */
  publish(uri: string): void {
    const { state } = this;
    const settings = state.settings;
    const doc = state.documents.get(uri);
    const entry = this.analyses.get(uri);
    if (!doc || !entry) return;
    const own = ownFile(entry);
    const index = hardeningService.lineIndex(own?.tree.text ?? doc.getText());
    const fields = settings.checks.exclude.length
      ? new Map((entry.analysis.report?.checks ?? []).map((c) => [c.code, c.jsonField]))
      : new Map<string, string>();
    const excluded = (code: string): boolean => {
      const jsonField = fields.get(code);
      return (
        settings.checks.exclude.includes(code) ||
        (jsonField !== undefined && settings.checks.exclude.includes(jsonField))
      );
    };
    const summary = this.advice.summaryOf(entry);
    const notes = noteDiagnostics(entry.ctx.notes, entry.ctx.path, own?.tree.text ?? doc.getText());
    const open = state.open.state(uri);
    // Published already from the same analysis, summary and notes (a file watcher's event after a
    // save, settings that did not change): the same again would only cancel what the editor is doing.
    // Nor does it postpone the pending recommendation (only a new text does).
    const from = fingerprint(entry.serial, summary?.diagnostic.message ?? null, notes);
    if (open && open.publishedVersion === doc.version && open.publishedFrom === from) return;
    if (summary && !summary.recommended) this.advice.recommendLater(uri, entry.ctx.name);
    const diagnostics = entry.analysis.diagnostics
      .filter((d) => d.file === entry.ctx.path && !excluded(d.code))
      .concat(summary ? [summary.diagnostic] : [])
      .concat(notes)
      .map((d) => toLspDiagnostic(d, index, settings, state.rulesUrl))
      .filter((d) => d !== null);
    const base = entry.analysis.suggestions?.base;
    const other = entry.analysis.otherFigure;
    const changed: ExposureChanged = {
      uri,
      unit: base?.unit ?? null,
      exposure: base?.exposure ? base.exposure.tenths / 10 : null,
      band: base?.band ?? null,
      ...(base ? { figure: entry.analysis.figure } : {}),
      ...(other ? { otherFigure: toFigureExposure(other) } : {}),
      target: state.targetLabel,
    };
    // Publishing the same diagnostics again makes editors redo work (and cancel a code-action list).
    // That can only happen for a version already published (a sibling file changed); a new version is
    // always published, without hashing (the hash walks every message: ~15% of a keystroke's time).
    if (open) {
      open.publishedFrom = from;
      // The unit's advice moved here: the document that showed it before publishes without it.
      if (entry.owner && !open.publishedAsOwner && open.unit) {
        for (const s of state.open.all())
          if (s.uri !== uri && s.unit === open.unit && s.publishedAsOwner) this.schedule(s.uri, 0);
      }
      open.publishedAsOwner = entry.owner;
      if (open.publishedVersion === doc.version) {
        const published = fingerprint(doc.version, diagnostics, changed);
        if (open.published === published) return;
        open.published = published;
        // Same text, new figures: a sibling file changed them, and the editor will not ask for this lens again by itself.
        this.refreshLenses();
      } else {
        open.publishedVersion = doc.version;
        open.published = null;
      }
    }
    void state.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    void state.connection.sendNotification(EXPOSURE_CHANGED, changed);
  }

  /** Publishes the document after `delay` ms (the debounce setting by default), replacing a pending publish. */
  schedule(uri: string, delay = this.state.settings.debounceMs): void {
    const open = this.state.open.state(uri);
    if (!open) return;
    open.cancel?.();
    const run = (): void => {
      open.cancel = null;
      this.publish(uri);
    };
    // setTimeout(0) waits a millisecond or more; with no debounce, run right after pending messages.
    if (delay <= 0) {
      const h = setImmediate(run);
      open.cancel = () => clearImmediate(h);
    } else {
      const h = setTimeout(run, delay);
      open.cancel = () => clearTimeout(h);
    }
  }

  /** Re-analyzes every open document of the same unit as `uri` (a drop-in's change moves its unit's score). */
  scheduleUnit(uri: string): void {
    const name = this.state.open.state(uri)?.unit;
    for (const s of this.state.open.all()) {
      if (s.uri === uri || (name && s.unit === name)) this.schedule(s.uri);
    }
  }

  /** Re-analyzes every open document right away (settings or files on disk changed). */
  rescheduleAll(): void {
    for (const s of this.state.open.all()) this.schedule(s.uri, 0);
  }

  /**
   * Asks the editor to fetch code lenses again: it does so by itself only for the document that
   * changed, so a unit file's exposure lens would keep its old figure after a sibling drop-in (say a
   * hardening.conf just written) changed it. Once per turn of the event loop, however many documents changed.
   */
  private refreshLenses(): void {
    if (!this.state.can.refreshLenses || this.lensRefreshQueued) return;
    this.lensRefreshQueued = true;
    setImmediate(() => {
      this.lensRefreshQueued = false;
      void this.state.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    });
  }
}
