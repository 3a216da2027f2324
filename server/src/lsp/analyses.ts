/**
 * The analysis of each open document, kept by the texts it was computed from: a document is analysed
 * as part of its unit (units.ts), so the key is the list of (path, text) the analysis read, and a
 * change in a sibling drop-in (open or on disk) makes a new one.
 */
import { performance } from 'node:perf_hooks';
import { hardeningService, type DocumentAnalysis, type SourceFile, type UnitFileTree } from '../service';
import { hostCommandLookup } from '../io/command-exists';
import { AnalysisCache } from './analysis-cache';
import type { ServerState } from './state';
import { resolveUnit, type UnitContext } from './units';

/** How many documents' analyses stay in memory (diagnostics of the others are already published). */
const CACHE_SIZE = 8;

export interface Cached {
  /** Tells analyses apart: a new one for every analysis made (two publishes of one analysis show the same). */
  serial: number;
  key: { path: string; text: string }[];
  settingsGeneration: number;
  /** Whether the document showed its unit's sandbox and summary diagnostics (see OpenDocuments.ownerOf). */
  owner: boolean;
  ctx: UnitContext;
  analysis: DocumentAnalysis;
  version: number;
}

export class Analyses {
  private readonly cache = new AnalysisCache<Cached>(CACHE_SIZE);
  private serial = 0;

  constructor(private readonly state: ServerState) {}

  /** The analysis of a document, from the cache when nothing it depends on changed. */
  get(uri: string): Cached | null {
    const { state, cache } = this;
    const doc = state.documents.get(uri);
    if (!doc) return null;
    const settings = state.settings;
    const version = state.version;
    const ctx = resolveUnit(uri, doc.getText(), state.open, state.disk, version);
    const open = state.open.state(uri);
    if (open) open.unit = ctx.name;
    // A document nobody opened (a request for another file) is its own owner.
    const owner = !open || state.open.ownerOf(ctx.name) === uri;
    const key = ctx.files.map((f) => ({ path: f.path, text: f.text }));
    const hit = cache.peek(uri);
    if (
      hit &&
      hit.settingsGeneration === state.settingsGeneration &&
      hit.owner === owner &&
      hit.key.length === key.length &&
      hit.key.every((k, i) => k.path === key[i]!.path && k.text === key[i]!.text)
    ) {
      cache.touch(uri);
      // The same texts, but what was not read or where a file lives may have changed.
      hit.ctx = ctx;
      return hit;
    }
    const trees = this.parsedBefore(ctx.files);
    // The stale analysis goes before the new one is built: kept until replaced, it was alive (and young)
    // whenever a scavenge came during the new analysis, so every one was copied and promoted (~300 KB
    // for a 300-line unit), and the old generation's collections made the slowest keystrokes.
    if (hit) cache.delete(uri);
    let analysis: DocumentAnalysis;
    const started = state.tracing ? performance.now() : 0;
    try {
      analysis = hardeningService.analyzeDocument(
        {
          name: ctx.name,
          files: ctx.files,
          version,
          trees,
          commandExists: hostCommandLookup(hardeningService.commandFolders),
        },
        {
          file: ctx.path,
          policy: state.policy,
          exposure: settings.exposure.enabled,
          sandbox: owner ? settings.sandboxDiagnostics.severity : 'off',
        },
      );
    } catch (e) {
      state.error(`analysis of ${uri} failed: ${(e as Error).stack ?? String(e)}`);
      return null;
    }
    if (started)
      state.trace(
        () =>
          `analysed ${ctx.name} (${ctx.files.length} file${ctx.files.length === 1 ? '' : 's'}, version ${doc.version} of ${ctx.path}) in ${(performance.now() - started).toFixed(1)} ms`,
      );
    const entry: Cached = {
      serial: ++this.serial,
      key,
      settingsGeneration: state.settingsGeneration,
      owner,
      ctx,
      analysis,
      version: doc.version,
    };
    // Keep the analyses of the most recently used documents only; the rest are recomputed on demand.
    cache.set(uri, entry);
    return entry;
  }

  /** Forgets a closed document's analysis. */
  delete(uri: string): void {
    this.cache.delete(uri);
  }

  /**
   * Parses of these files (same path, same text) that the cached analyses hold, so that a keystroke in
   * a drop-in does not parse its unit file again, nor a keystroke in a unit its drop-ins.
   */
  private parsedBefore(files: readonly SourceFile[]): Map<string, UnitFileTree> | undefined {
    let trees: Map<string, UnitFileTree> | undefined;
    for (const f of files) {
      for (const entry of this.cache.values()) {
        const same = entry.analysis.model.files.find((m) => m.path === f.path && m.tree.text === f.text);
        if (same) {
          (trees ??= new Map()).set(f.path, same.tree);
          break;
        }
      }
    }
    return trees;
  }
}

/** The loaded file of the document itself in its analysis (its parse and text). */
export function ownFile(entry: Cached): DocumentAnalysis['model']['files'][number] | undefined {
  return entry.analysis.model.files.find((f) => f.path === entry.ctx.path);
}
