/**
 * The language server: keeps open documents, resolves the unit each belongs to (drop-ins found on
 * disk and in open editors), runs the core after a short per-document debounce, caches the result by
 * the texts it was computed from, and answers LSP requests from that cache.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  CodeActionKind,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DEFAULT_SETTINGS,
  EXPOSURE_CHANGED,
  EXPOSURE_REQUEST,
  HARDEN_REQUEST,
  WORKSPACE_UNITS_REQUEST,
  type ExposureChanged,
  type ExposureParams,
  type ExposureResult,
  type HardenParams,
  type HardenResultMessage,
  type HardeningSettings,
  type WorkspaceUnitsParams,
  type WorkspaceUnitsResult,
} from '../../../protocol/protocol';
import { analyzeDocument, codeActions, LineIndex, type Diagnostic, type DocumentAnalysis, type Policy, type SourceFile } from '../service';
import { summaryDiagnostic } from '../rules/summary';
import { Recommendations } from './recommendations';
import { hardenPreview } from './harden';
import { AnalysisCache } from './analysis-cache';
import { toLspCodeAction, toLspDiagnostic, toRange, type FileTexts } from './convert';
import { Disk } from './disk';
import { OpenDocuments } from './open-documents';
import { normalizeSettings, versionOf } from './settings';
import { pathOfUri, resolveUnit, type UnitContext } from './units';
import { scanWorkspace } from './workspace';
import { fingerprint } from './fingerprint';
import { noteDiagnostics } from './file-notes';
import { completionHandler, hoverHandler } from './features';
import type { TraceLevel } from './lifecycle';
import { version as extensionVersion } from '../../../package.json';

type Tree = DocumentAnalysis['model']['files'][number]['tree'];

interface Cached {
  key: { path: string; text: string }[];
  settingsGeneration: number;
  /** Whether the document showed its unit's sandbox and summary diagnostics (see OpenDocuments.ownerOf). */
  owner: boolean;
  ctx: UnitContext;
  analysis: DocumentAnalysis;
  version: number;
}

/** How many diagnostic fixes one code-action request lists when it covers several diagnostics. */
const MAX_FIXES_AT_ONCE = 12;

/**
 * How long a unit must stay unchanged before its recommended drop-in is worked out again for the
 * summary (about ten analyses' work: not on every keystroke).
 */
const RECOMMENDATION_IDLE_MS = 600;
/** The same wait for a unit whose recommendation was never worked out (a document just opened). */
const RECOMMENDATION_FIRST_MS = 300;

/** How many units at most wait for their recommended drop-in (the summaries of the others say the exposure only). */
const MAX_PENDING_RECOMMENDATIONS = 16;

/** How many documents' analyses stay in memory (diagnostics of the others are already published). */
const CACHE_SIZE = 8;

/** Where the rule docs ship: docs/rules.md next to the bundles' folder. */
function docsUrl(): string | null {
  const p = join(__dirname, '..', 'docs', 'rules.md');
  return existsSync(p) ? pathToFileURL(p).href : null;
}

export function startServer(connection: Connection, lifecycle: { readonly trace: TraceLevel }): void {
  const documents = new TextDocuments(TextDocument);
  const disk = new Disk();
  const cache = new AnalysisCache<Cached>(CACHE_SIZE);
  /** Per open document: path, unit, what was last published, pending analysis. */
  const open = new OpenDocuments((uri) => documents.get(uri));
  const recommendations = new Recommendations();
  /** Units whose summary waits for their recommended drop-in, by unit name → the document showing it (most recent last). */
  const pendingRecommendations = new Map<string, string>();
  let recommendTimer: ReturnType<typeof setTimeout> | null = null;
  let settings: HardeningSettings = DEFAULT_SETTINGS;
  let settingsGeneration = 0;
  let policy: Policy | undefined;
  let canConfigure = false;
  let canCreateFiles = false;
  let canShowProgress = false;
  let canShowLabelDetails = false;
  let canRefreshLenses = false;
  let lensRefreshQueued = false;

  /**
   * Asks the editor to fetch code lenses again: it does so by itself only for the document that
   * changed, so a unit file's exposure lens would keep its old figure after a sibling drop-in (say a
   * hardening.conf just written) changed it. Once per turn of the event loop, however many documents changed.
   */
  function refreshLenses(): void {
    if (!canRefreshLenses || lensRefreshQueued) return;
    lensRefreshQueued = true;
    setImmediate(() => {
      lensRefreshQueued = false;
      void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    });
  }
  let workspaceRoots: string[] = [];
  const rulesUrl = docsUrl();

  const logger = connection.console;
  const log = (message: string): void => logger.log(message);
  const logError = (message: string): void => logger.error(message);
  /** A line for the client's trace (\`$/logTrace\`, shown when its trace setting is on); the text is built only then. */
  const trace = (message: string | (() => string)): void => {
    if (lifecycle.trace !== 'off') connection.tracer.log(typeof message === 'string' ? message : message());
  };

  function loadPolicy(): void {
    policy = undefined;
    if (!settings.policyFile) return;
    const text = disk.readText(settings.policyFile);
    if (text === null) {
      logger.warn(`systemdHardening.policyFile: cannot read ${settings.policyFile}; using systemd's weights`);
      return;
    }
    try {
      policy = JSON.parse(text) as Policy;
    } catch (e) {
      logger.warn(`systemdHardening.policyFile: ${settings.policyFile} is not JSON (${(e as Error).message}); using systemd's weights`);
    }
  }

  /** The analysis of a document, from the cache when nothing it depends on changed. */
  function analysisOf(uri: string): Cached | null {
    const doc = documents.get(uri);
    if (!doc) return null;
    const version = versionOf(settings);
    const ctx = resolveUnit(uri, doc.getText(), open, disk, version);
    const state = open.state(uri);
    if (state) state.unit = ctx.name;
    // A document nobody opened (a request for another file) is its own owner.
    const owner = !state || open.ownerOf(ctx.name) === uri;
    const key = ctx.files.map((f) => ({ path: f.path, text: f.text }));
    const hit = cache.peek(uri);
    if (hit && hit.settingsGeneration === settingsGeneration && hit.owner === owner && hit.key.length === key.length && hit.key.every((k, i) => k.path === key[i]!.path && k.text === key[i]!.text)) {
      cache.touch(uri);
      // The same texts, but what was not read or where a file lives may have changed.
      hit.ctx = ctx;
      return hit;
    }
    const trees = parsedBefore(ctx.files);
    // The stale analysis goes before the new one is built: kept until replaced, it was alive (and young)
    // whenever a scavenge came during the new analysis, so every one was copied and promoted (~300 KB
    // for a 300-line unit), and the old generation's collections made the slowest keystrokes.
    if (hit) cache.delete(uri);
    let analysis: DocumentAnalysis;
    const started = lifecycle.trace === 'off' ? 0 : performance.now();
    try {
      analysis = analyzeDocument({ name: ctx.name, files: ctx.files, version, trees }, {
        file: ctx.path,
        policy,
        exposure: settings.exposure.enabled,
        sandbox: owner ? settings.sandboxDiagnostics.severity : 'off',
      });
    } catch (e) {
      logError(`analysis of ${uri} failed: ${(e as Error).stack ?? String(e)}`);
      return null;
    }
    if (started) trace(() => `analysed ${ctx.name} (${ctx.files.length} file${ctx.files.length === 1 ? '' : 's'}, version ${doc.version} of ${ctx.path}) in ${(performance.now() - started).toFixed(1)} ms`);
    const entry: Cached = { key, settingsGeneration, owner, ctx, analysis, version: doc.version };
    // Keep the analyses of the most recently used documents only; the rest are recomputed on demand.
    cache.set(uri, entry);
    return entry;
  }

  /**
   * Parses of these files (same path, same text) that the cached analyses hold, so that a keystroke in
   * a drop-in does not parse its unit file again, nor a keystroke in a unit its drop-ins.
   */
  function parsedBefore(files: readonly SourceFile[]): Map<string, Tree> | undefined {
    let trees: Map<string, Tree> | undefined;
    for (const f of files) {
      for (const entry of cache.values()) {
        const same = entry.analysis.model.files.find((m) => m.path === f.path && m.tree.text === f.text);
        if (same) {
          (trees ??= new Map()).set(f.path, same.tree);
          break;
        }
      }
    }
    return trees;
  }

  function excluded(code: string, jsonField: string | undefined): boolean {
    return settings.checks.exclude.includes(code) || (jsonField !== undefined && settings.checks.exclude.includes(jsonField));
  }

  function publish(uri: string): void {
    const doc = documents.get(uri);
    const entry = analysisOf(uri);
    if (!doc || !entry) return;
    const own = entry.analysis.model.files.find((f) => f.path === entry.ctx.path);
    const index = new LineIndex(own?.tree.text ?? doc.getText());
    const fields = settings.checks.exclude.length ? new Map((entry.analysis.report?.checks ?? []).map((c) => [c.code, c.json_field])) : new Map<string, string>();
    const summary = summaryOf(uri, entry);
    const diagnostics = entry.analysis.diagnostics
      .filter((d) => d.file === entry.ctx.path && !excluded(d.code, fields.get(d.code)))
      .concat(summary ? [summary] : [])
      .concat(noteDiagnostics(entry.ctx.notes, entry.ctx.path, own?.tree.text ?? doc.getText()))
      .map((d) => toLspDiagnostic(d, index, settings, rulesUrl))
      .filter((d) => d !== null);
    const base = entry.analysis.suggestions?.base;
    const changed: ExposureChanged = { uri, unit: base?.unit ?? null, exposure: base?.exposure ? base.exposure.tenths / 10 : null, band: base?.band ?? null };
    // Publishing the same diagnostics again makes editors redo work (and cancel a code-action list).
    // That can only happen for a version already published (a sibling file changed); a new version is
    // always published, without hashing (the hash walks every message: ~15% of a keystroke's time).
    const state = open.state(uri);
    if (state) {
      // The unit's advice moved here: the document that showed it before publishes without it.
      if (entry.owner && !state.publishedAsOwner && state.unit) {
        for (const s of open.all()) if (s.uri !== uri && s.unit === state.unit && s.publishedAsOwner) schedule(s.uri, 0);
      }
      state.publishedAsOwner = entry.owner;
      if (state.publishedVersion === doc.version) {
        const published = fingerprint(doc.version, diagnostics, changed);
        if (state.published === published) return;
        state.published = published;
        // Same text, new figures: a sibling file changed them, and the editor will not ask for this lens again by itself.
        refreshLenses();
      } else {
        state.publishedVersion = doc.version;
        state.published = null;
      }
    }
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    void connection.sendNotification(EXPOSURE_CHANGED, changed);
  }

  function recommendationInput(entry: Cached): { name: string; files: SourceFile[]; version: ReturnType<typeof versionOf>; trees: Map<string, Tree> } {
    return {
      name: entry.ctx.name,
      files: entry.ctx.files,
      version: entry.analysis.model.version as ReturnType<typeof versionOf>,
      trees: new Map(entry.analysis.model.files.map((f) => [f.path, f.tree])),
    };
  }

  /**
   * The exposure summary of the document that shows its unit's advice (null for the others and for
   * what is not a scored service). The recommended drop-in's figure comes from the cache; when it is
   * not worked out for these texts yet, the summary says the exposure alone and the work is scheduled.
   */
  function summaryOf(uri: string, entry: Cached, scheduleMissing = true): Diagnostic | null {
    const base = entry.analysis.suggestions?.base;
    const own = entry.analysis.model.files.find((f) => f.path === entry.ctx.path);
    if (!entry.owner || !own || !base?.exposure || entry.analysis.model.type !== 'service') return null;
    const input = recommendationInput(entry);
    const rec = recommendations.peek(input, settingsGeneration);
    if (!rec && scheduleMissing) recommendLater(uri, entry.ctx.name);
    return summaryDiagnostic(entry.ctx.name, entry.analysis.model.files, own, base.exposure.text, base.band, rec ?? null);
  }

  /**
   * Queues the unit's recommended drop-in, worked out once the editor has been still for a moment
   * (any keystroke restarts the wait), then the summary is published again. One unit at a time, the
   * most recently touched first, at most MAX_PENDING_RECOMMENDATIONS waiting: opening hundreds of units
   * costs nothing until they are looked at again.
   */
  function recommendLater(uri: string, unit: string): void {
    pendingRecommendations.delete(unit);
    pendingRecommendations.set(unit, uri);
    if (pendingRecommendations.size > MAX_PENDING_RECOMMENDATIONS) pendingRecommendations.delete(pendingRecommendations.keys().next().value!);
    // A unit just opened gets its figure sooner than one being typed in; neither while documents keep arriving.
    const delay = Math.max(recommendations.known(unit) ? RECOMMENDATION_IDLE_MS : RECOMMENDATION_FIRST_MS, settings.debounceMs);
    armRecommendations(delay);
  }

  function armRecommendations(delay: number): void {
    if (recommendTimer) clearTimeout(recommendTimer);
    recommendTimer = setTimeout(recommendNext, delay);
  }

  function recommendNext(): void {
    recommendTimer = null;
    const last = [...pendingRecommendations].pop();
    if (!last) return;
    const [unit, uri] = last;
    pendingRecommendations.delete(unit);
    const entry = open.state(uri) ? analysisOf(uri) : null;
    if (entry?.owner && entry.ctx.name === unit) {
      const started = lifecycle.trace === 'off' ? 0 : performance.now();
      recommendations.compute(recommendationInput(entry), settingsGeneration, policy);
      if (started) trace(() => `recommended drop-in of ${unit} worked out in ${(performance.now() - started).toFixed(1)} ms`);
      publish(uri);
    }
    // The next one after pending messages (a keystroke in between re-arms the wait).
    if (pendingRecommendations.size && !recommendTimer) armRecommendations(0);
  }

  function schedule(uri: string, delay = settings.debounceMs): void {
    const state = open.state(uri);
    if (!state) return;
    state.cancel?.();
    const run = (): void => {
      state.cancel = null;
      publish(uri);
    };
    // setTimeout(0) waits a millisecond or more; with no debounce, run right after pending messages.
    if (delay <= 0) {
      const h = setImmediate(run);
      state.cancel = () => clearImmediate(h);
    } else {
      const h = setTimeout(run, delay);
      state.cancel = () => clearTimeout(h);
    }
  }

  /** Re-analyzes every open document of the same unit as `uri` (a drop-in's change moves its unit's score). */
  function scheduleUnit(uri: string): void {
    const name = open.state(uri)?.unit;
    for (const s of open.all()) {
      if (s.uri === uri || (name && s.unit === name)) schedule(s.uri);
    }
  }

  function rescheduleAll(): void {
    for (const s of open.all()) schedule(s.uri, 0);
  }

  async function fetchSettings(): Promise<void> {
    if (!canConfigure) return;
    try {
      const [raw] = (await connection.workspace.getConfiguration([{ section: 'systemdHardening' }])) as unknown[];
      settings = normalizeSettings(raw);
    } catch {
      settings = DEFAULT_SETTINGS;
    }
    settingsGeneration++;
    recommendations.clear();
    loadPolicy();
  }

  function fileTexts(entry: Cached): FileTexts {
    return {
      text: (path) => entry.analysis.model.files.find((f) => f.path === path)?.tree.text ?? null,
      uri: (path) => entry.ctx.uris.get(path) ?? pathToFileURL(path).href,
      version: (path) => {
        const uri = entry.ctx.uris.get(path);
        return uri ? documents.get(uri)?.version ?? null : null;
      },
    };
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    canConfigure = caps.workspace?.configuration === true;
    canShowProgress = caps.window?.workDoneProgress === true;
    canShowLabelDetails = caps.textDocument?.completion?.completionItem?.labelDetailsSupport === true;
    canRefreshLenses = caps.workspace?.codeLens?.refreshSupport === true;
    const ops = caps.workspace?.workspaceEdit?.resourceOperations ?? [];
    canCreateFiles = caps.workspace?.workspaceEdit?.documentChanges === true && ops.includes('create');
    workspaceRoots = (params.workspaceFolders ?? []).map((f) => pathOfUri(f.uri)).filter((p) => p.startsWith('/'));
    if (workspaceRoots.length === 0 && params.rootUri) workspaceRoots = [pathOfUri(params.rootUri)];
    const init = (params.initializationOptions ?? {}) as { settings?: unknown };
    if (init.settings) settings = normalizeSettings(init.settings);
    loadPolicy();
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['=', ' ', '~', '@', ':', '['], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'systemd-hardening', version: extensionVersion },
    };
  });

  connection.onInitialized(async () => {
    if (canConfigure) {
      await fetchSettings();
      rescheduleAll();
    }
    logger.info(`systemd-hardening ${extensionVersion} language server on node ${process.version}: systemd ${settings.systemdVersion}, workspace ${workspaceRoots.length ? workspaceRoots.join(', ') : '(none)'}`);
  });

  connection.onDidChangeConfiguration(async (change) => {
    const target = settings.systemdVersion;
    if (canConfigure) await fetchSettings();
    else {
      settings = normalizeSettings((change.settings as { systemdHardening?: unknown } | null)?.systemdHardening);
      settingsGeneration++;
      loadPolicy();
    }
    if (settings.systemdVersion !== target) logger.info(`target systemd version: ${settings.systemdVersion}`);
    rescheduleAll();
  });

  connection.onDidChangeWatchedFiles(() => {
    disk.forget();
    rescheduleAll();
  });

  documents.onDidOpen((e) => {
    open.open(e.document.uri);
    schedule(e.document.uri, 0);
  });
  documents.onDidChangeContent((e) => {
    open.touch(e.document.uri);
    scheduleUnit(e.document.uri);
  });
  documents.onDidClose((e) => {
    open.close(e.document.uri)?.cancel?.();
    cache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    for (const s of open.all()) schedule(s.uri);
  });

  connection.onCodeAction((params) => {
    const entry = analysisOf(params.textDocument.uri);
    if (!entry) return [];
    const own = entry.analysis.model.files.find((f) => f.path === entry.ctx.path);
    if (!own) return [];
    const index = new LineIndex(own.tree.text);
    const span = { start: index.offsetAt(params.range.start), end: index.offsetAt(params.range.end) };
    const files = fileTexts(entry);
    const out = [];
    // Fixes for the diagnostics the client asks about (all of them when it names none). Ctrl+. on the
    // [Service] header can touch dozens of sandbox diagnostics: offer the best few, most effective first;
    // each one stays reachable through its own diagnostic.
    const asked = new Set(params.context.diagnostics.map((d) => d.code));
    let fixes = 0;
    for (const action of codeActions(entry.analysis, span)) {
      if (action.diagnosticCode) {
        if (asked.size > 0 && !asked.has(action.diagnosticCode)) continue;
        if (asked.size !== 1 && ++fixes > MAX_FIXES_AT_ONCE) continue;
      }
      const related = action.diagnosticCode ? params.context.diagnostics.filter((d) => d.code === action.diagnosticCode) : [];
      const lsp = toLspCodeAction(action, files, canCreateFiles, related);
      if (lsp) out.push(lsp);
    }
    // "Harden this unit…": the summary's action, on its [Service] header or when the client names it.
    // (A cursor move is no reason to postpone the pending recommendation: nothing is scheduled from here.)
    const summary = summaryOf(params.textDocument.uri, entry, false);
    const fix = summary?.fixes?.[0];
    if (summary && fix && (asked.has(summary.code) || (asked.size === 0 && summary.span.start <= span.end && summary.span.end >= span.start))) {
      const related = params.context.diagnostics.filter((d) => d.code === summary.code);
      const lsp = toLspCodeAction({ ...fix, kind: 'quickfix', diagnosticCode: summary.code }, files, canCreateFiles, related, params.textDocument.uri);
      // First: on [Service], Ctrl+. then Enter previews the recommended drop-in.
      if (lsp) out.unshift(lsp);
    }
    const only = params.context.only;
    return only ? out.filter((a) => only.some((k) => a.kind?.startsWith(k))) : out;
  });

  connection.onCodeLens((params) => {
    const entry = analysisOf(params.textDocument.uri);
    const report = entry?.analysis.report;
    if (!entry || !report) return [];
    const own = entry.analysis.model.files.find((f) => f.path === entry.ctx.path);
    const header = own?.tree.sections.find((s) => s.name === 'Service') ?? own?.tree.sections[0];
    if (!own || !header) return [];
    const index = new LineIndex(own.tree.text);
    const title = report.exposure === null
      ? `systemd would not load ${report.unit}: ${report.error ?? 'refused'}`
      : `Exposure ${report.exposure.toFixed(1)} ${report.band}${report.suggestions.length ? ` · ${report.suggestions.length} suggestions` : ''}${report.safe_set ? ` · safe set → ${report.safe_set.exposure_after.toFixed(1)}` : ''}`;
    return [{ range: toRange(header.span, index), command: { title, command: 'systemdHardening.showCheckTable', arguments: [params.textDocument.uri] } }];
  });

  connection.onCompletion((params) => completionHandler(params, (uri) => analysisOf(uri), versionOf(settings), canShowLabelDetails));
  connection.onHover((params) => hoverHandler(params, (uri) => analysisOf(uri), versionOf(settings)));

  connection.onRequest(EXPOSURE_REQUEST, (params: ExposureParams): ExposureResult => {
    const entry = analysisOf(params.uri);
    const report = entry?.analysis.report;
    if (!entry || !report) return null;
    return { ...report, files: entry.ctx.files.map((f) => entry.ctx.uris.get(f.path) ?? f.path) };
  });

  connection.onRequest(HARDEN_REQUEST, (params: HardenParams): HardenResultMessage => {
    const entry = params && typeof params.uri === 'string' ? analysisOf(params.uri) : null;
    if (!entry || entry.analysis.model.type !== 'service') return null;
    const result = recommendations.compute(recommendationInput(entry), settingsGeneration, policy);
    const base = entry.analysis.suggestions?.base;
    return hardenPreview(result, base?.exposure ? { exposure: base.exposure.tenths / 10, band: base.band } : null, {
      uri: (path) => entry.ctx.uris.get(path) ?? pathToFileURL(path).href,
      text: (path) => entry.ctx.files.find((f) => f.path === path)?.text ?? disk.readText(path),
    });
  });

  connection.onRequest(WORKSPACE_UNITS_REQUEST, async (params: WorkspaceUnitsParams | null, token): Promise<WorkspaceUnitsResult | ResponseError<void>> => {
    // Progress on the request's own token when it has one, else on one the server creates when the
    // client supports it (window/workDoneProgress/create); otherwise nobody listens.
    const own = connection.window.attachWorkDoneProgress(params?.workDoneToken);
    const created = params?.workDoneToken === undefined && canShowProgress ? await connection.window.createWorkDoneProgress().catch(() => null) : null;
    const reporter = created ?? own;
    const clientCancel = created?.token ?? null;
    const started = performance.now();
    reporter.begin('Scoring the workspace\'s units', 0, undefined, true);
    try {
      const result = await scanWorkspace(workspaceRoots, open, disk, versionOf(settings), policy, {
        cancelled: () => token.isCancellationRequested || clientCancel?.isCancellationRequested === true,
        progress: (message, done, total) => reporter.report(total ? Math.floor((100 * done) / total) : 0, message),
      });
      if (!result) {
        trace(`workspace scan cancelled after ${(performance.now() - started).toFixed(0)} ms`);
        return new ResponseError(LSPErrorCodes.RequestCancelled, 'the workspace scan was cancelled');
      }
      if (result.truncated) log(`workspace scan: ${result.truncated}`);
      trace(`workspace scan: ${result.units.length} units in ${(performance.now() - started).toFixed(0)} ms`);
      return result;
    } catch (e) {
      logError(`workspace scan failed: ${(e as Error).stack ?? String(e)}`);
      throw e;
    } finally {
      reporter.done();
    }
  });

  documents.listen(connection);
  connection.listen();
}
