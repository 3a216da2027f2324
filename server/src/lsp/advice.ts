/**
 * A unit's advice in the editor: the exposure summary on [Service] of the document that shows it
 * (OpenDocuments.ownerOf), and the recommended drop-in the summary quotes. The recommendation costs
 * about ten analyses, so it is worked out off the keystroke path (recommendations.ts): the summary
 * says the exposure alone until then, and is published again once the unit has been still.
 */
import { performance } from 'node:perf_hooks';
import {
  hardeningService,
  type Diagnostic,
  type HardenResult,
  type SupportedVersion,
  type UnitFileTree,
  type SourceFile,
} from '../service';
import type { Analyses, Cached } from './analyses';
import { Recommendations } from './recommendations';
import type { ServerState } from './state';

/**
 * How long a unit must stay unchanged before its recommended drop-in is worked out again for the
 * summary (about ten analyses' work: not on every keystroke).
 */
const RECOMMENDATION_IDLE_MS = 600;
/** The same wait for a unit whose recommendation was never worked out (a document just opened). */
const RECOMMENDATION_FIRST_MS = 300;

/** How many units at most wait for their recommended drop-in (the summaries of the others say the exposure only). */
const MAX_PENDING_RECOMMENDATIONS = 16;

export class Advice {
  private readonly recommendations = new Recommendations();
  /** Units whose summary waits for their recommended drop-in: unit name to the document showing it (most recent last). */
  private readonly pending = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** `publish` sends a document's diagnostics again (publish.ts). */
  constructor(
    private readonly state: ServerState,
    private readonly analyses: Analyses,
    private readonly publish: (uri: string) => void,
  ) {}

  /**
   * The exposure summary of the document that shows its unit's advice (null for the others and for
   * what is not a scored service). The recommended drop-in's figure comes from the cache; when it is
   * not worked out for these texts yet (`recommended` false), the summary says the exposure alone.
   */
  summaryOf(entry: Cached): { diagnostic: Diagnostic; recommended: boolean } | null {
    if (!entry.owner || !entry.analysis.suggestions?.base.exposure) return null;
    const rec = this.recommendations.peek(inputOf(entry), this.state.settingsGeneration);
    const diagnostic = hardeningService.summary(entry.analysis, rec ?? null);
    return diagnostic ? { diagnostic, recommended: rec !== undefined } : null;
  }

  /** The recommended drop-in of the document's unit, worked out now unless it is known for these texts. */
  recommend(entry: Cached): HardenResult {
    return this.recommendations.compute(inputOf(entry), this.state.settingsGeneration, this.state.policy);
  }

  /** Forgets every recommendation (the settings changed). */
  clear(): void {
    this.recommendations.clear();
  }

  /**
   * Queues the unit's recommended drop-in, worked out once the editor has been still for a moment
   * (any keystroke restarts the wait), then the summary is published again. One unit at a time, the
   * most recently touched first, at most MAX_PENDING_RECOMMENDATIONS waiting: opening hundreds of units
   * costs nothing until they are looked at again.
   */
  recommendLater(uri: string, unit: string): void {
    const pending = this.pending;
    pending.delete(unit);
    pending.set(unit, uri);
    if (pending.size > MAX_PENDING_RECOMMENDATIONS) pending.delete(pending.keys().next().value!);
    // A unit just opened gets its figure sooner than one being typed in; neither while documents keep arriving.
    const delay = Math.max(
      this.recommendations.known(unit) ? RECOMMENDATION_IDLE_MS : RECOMMENDATION_FIRST_MS,
      this.state.settings.debounceMs,
    );
    this.arm(delay);
  }

  private arm(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.next(), delay);
  }

  private next(): void {
    this.timer = null;
    const last = [...this.pending].pop();
    if (!last) return;
    const [unit, uri] = last;
    this.pending.delete(unit);
    const entry = this.state.open.state(uri) ? this.analyses.get(uri) : null;
    if (entry?.owner && entry.ctx.name === unit) {
      const started = this.state.tracing ? performance.now() : 0;
      this.recommend(entry);
      if (started)
        this.state.trace(
          () => `recommended drop-in of ${unit} worked out in ${(performance.now() - started).toFixed(1)} ms`,
        );
      this.publish(uri);
    }
    // The next one after pending messages (a keystroke in between re-arms the wait).
    if (this.pending.size && !this.timer) this.arm(0);
  }
}

/** The unit of a cached analysis as the recommendation takes it, with the parses the analysis made. */
function inputOf(entry: Cached): {
  name: string;
  files: readonly SourceFile[];
  version: SupportedVersion;
  trees: Map<string, UnitFileTree>;
} {
  return {
    name: entry.ctx.name,
    files: entry.ctx.files,
    version: entry.analysis.model.version as SupportedVersion,
    trees: new Map(entry.analysis.model.files.map((f) => [f.path, f.tree])),
  };
}
