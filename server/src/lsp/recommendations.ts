/**
 * The recommended drop-in of each unit (hardenUnit, `systemd-hardening harden`), kept off the
 * keystroke path. Working it out costs about ten analyses (80 ms for nginx, against 7 ms for the
 * diagnostics), so the server publishes a keystroke's diagnostics first and works out the drop-in
 * when the unit has been still for a moment (advice.ts), then publishes the summary again.
 *
 * Kept per unit, keyed by the texts it was worked out from, without the unit's hardening.conf: the
 * recommendation replaces that file, so typing in it (what an administrator does right after
 * "Harden this unit…") changes nothing here and costs nothing.
 */
import { hostCommandLookup } from '../io/command-exists';
import {
  hardeningService,
  type HardenResult,
  type Policy,
  type SourceFile,
  type SupportedVersion,
  type UnitFileTree,
} from '../service';

const { withoutHardening } = hardeningService;

interface Entry {
  files: { path: string; text: string }[];
  version: SupportedVersion;
  generation: number;
  result: HardenResult;
}

export interface RecommendationInput {
  name: string;
  files: readonly SourceFile[];
  version: SupportedVersion;
  trees?: ReadonlyMap<string, UnitFileTree>;
}

export class Recommendations {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly max = 16) {}

  /** The recommendation for exactly these files, settings generation and version, if worked out already. */
  peek(input: RecommendationInput, generation: number): HardenResult | undefined {
    const e = this.entries.get(input.name);
    if (!e || e.generation !== generation || e.version !== input.version) return undefined;
    const files = withoutHardening(input.files);
    if (files.length !== e.files.length) return undefined;
    for (let i = 0; i < files.length; i++)
      if (files[i]!.path !== e.files[i]!.path || files[i]!.text !== e.files[i]!.text) return undefined;
    return e.result;
  }

  /** Whether the unit had a recommendation before (for other texts): its next one can wait for a pause. */
  known(name: string): boolean {
    return this.entries.has(name);
  }

  /** Works the recommendation out and keeps it (the least recently worked out unit goes past `max`). */
  compute(input: RecommendationInput, generation: number, policy: Policy | undefined): HardenResult {
    const cached = this.peek(input, generation);
    if (cached) return cached;
    let result: HardenResult;
    try {
      result = hardeningService.hardenUnit(
        {
          name: input.name,
          files: input.files,
          version: input.version,
          trees: input.trees,
          commandExists: hostCommandLookup(hardeningService.commandFolders),
        },
        { policy },
      );
    } catch (e) {
      // The core never throws on input; should it, the editor says so instead of losing the unit's summary.
      result = {
        unit: input.name,
        profile: null,
        profileTitle: null,
        dropinPath: null,
        dropin: '',
        exposureBefore: null,
        exposureAfter: null,
        bandBefore: null,
        bandAfter: null,
        leftOpen: [],
        verify: [],
        error: `internal error: ${(e as Error).message}`,
      };
    }
    this.entries.delete(input.name);
    this.entries.set(input.name, {
      files: withoutHardening(input.files).map((f) => ({ path: f.path, text: f.text })),
      version: input.version,
      generation,
      result,
    });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return result;
  }

  clear(): void {
    this.entries.clear();
  }
}
