/**
 * The analyses behind the service (service.ts): a unit's diagnostics, a document's diagnostics with
 * its exposure, and the code actions of a range of the document.
 */
import type { Figure } from '../knowledge/figures';
import { type BuildOptions, buildUnit } from '../model/build';
import type { UnitScope } from '../model/scope';
import type { SourceFile, UnitModel } from '../model/unit-model';
import { runRules } from '../rules';
import { capDiagnostics } from '../rules/diagnostics-limit';
import type { Diagnostic } from '../rules/diagnostic';
import type { Span, UnitFileTree } from '../syntax/tree';
import type { Policy, SuggestResult } from '../exposure';
import { sandboxDiagnostics, type SandboxSeverity } from '../rules/sandbox';
import { exposureReport, type ExposureReport } from '../features/report';
import { figureOf, otherFigure, type FigureScore } from '../features/figures';
import { moveToDropinAction, readWritePathsAction, safeSetAction, type CodeAction } from '../features/code-actions';
import { keepOutOfVendorFiles } from '../rules/dropin-edits';
import { isVendorPath } from '../model/vendor';
import type { SupportedVersion } from './versions';

export interface UnitInput {
  /** The unit's name, e.g. `nginx.service`; a drop-in belongs to the unit its folder names. */
  name: string;
  /** The unit file first (if there is one), then its drop-ins in the order systemd applies them. */
  files: readonly SourceFile[];
  version: SupportedVersion;
  /** The figure to score for (knowledge/figures.ts); the release's default when left out. */
  figure?: Figure;
  /** Parses the host already has, by path (for caching by document version). */
  trees?: ReadonlyMap<string, UnitFileTree>;
  /** System or user unit: by default from the path of the first file (a user search-path folder: user). */
  scope?: UnitScope;
  /**
   * Whether a command named without a path exists in DEFAULT_PATH where the unit is loaded (the
   * adapter looks; systemd 239–246 refuse the unit when it does not). Not asked: assumed to exist.
   */
  commandExists?: (name: string) => boolean;
}

/** The build options of a unit input. */
export function buildOptionsOfInput(input: UnitInput): BuildOptions {
  return {
    version: input.version,
    figure: input.figure,
    trees: input.trees,
    scope: input.scope,
    commandExists: input.commandExists,
  };
}

export interface UnitAnalysis {
  model: UnitModel;
  diagnostics: Diagnostic[];
}

/** The unit's model and the diagnostics of its files (at most MAX_DIAGNOSTICS_PER_FILE each, see rules/cap.ts). */
export function analyzeUnit(input: UnitInput): UnitAnalysis {
  const model = buildUnit(input.name, input.files, buildOptionsOfInput(input));
  return { model, diagnostics: capDiagnostics(runRules(model)) };
}

export interface DocumentOptions {
  /** The file being edited: its sandbox diagnostics are placed in it. */
  file: string;
  policy?: Policy;
  /** Compute exposure, sandbox diagnostics and suggestions (services only). */
  exposure?: boolean;
  /** Severity of the per-check sandbox diagnostics in `file` (default hint; 'off': none, the exposure is still computed). */
  sandbox?: SandboxSeverity;
}

export interface DocumentAnalysis extends UnitAnalysis {
  file: string;
  policy?: Policy;
  /** Suggestions and the base score; null when exposure was not computed or the unit is not a service. */
  suggestions: SuggestResult | null;
  report: ExposureReport | null;
  /**
   * The unit's exposure in the release's other figure where it prints another number (the running
   * manager's beside the file's: features/figures.ts); null otherwise, and when exposure was not computed.
   */
  otherFigure: FigureScore | null;
  /** The figure the exposure is (the model's where the release has it, else the release's only one). */
  figure: Figure;
}

/** Everything an editor shows for one document of a unit: core and sandbox diagnostics, the exposure report. */
export function analyzeDocument(input: UnitInput, options: DocumentOptions): DocumentAnalysis {
  const model = buildUnit(input.name, input.files, buildOptionsOfInput(input));
  const diagnostics = runRules(model);
  if (options.exposure === false || model.type !== 'service') {
    return new Analysis(model, capDiagnostics(diagnostics), options.file, options.policy, null);
  }
  const { diagnostics: sandbox, result } = sandboxDiagnostics(model, {
    file: options.file,
    version: input.version,
    policy: options.policy,
    severity: options.sandbox,
  });
  for (const d of sandbox) diagnostics.push(d);
  return new Analysis(model, capDiagnostics(diagnostics), options.file, options.policy, result);
}

/**
 * A document's analysis. What only some requests need is built when first read: the exposure report
 * (an editor keystroke needs only the diagnostics) and the unit-wide code actions (the same for every
 * cursor position, and each one costs a pass over the unit: editors ask for code actions on every
 * cursor move). Class getters, not accessors defined per object (see ARCHITECTURE.md, Decisions).
 */
class Analysis implements DocumentAnalysis {
  #report: ExposureReport | undefined;
  #otherFigure: FigureScore | null | undefined;
  #unitActions: CodeAction[] | undefined;

  constructor(
    readonly model: UnitModel,
    readonly diagnostics: Diagnostic[],
    readonly file: string,
    readonly policy: Policy | undefined,
    readonly suggestions: SuggestResult | null,
  ) {}

  get report(): ExposureReport | null {
    if (!this.suggestions) return null;
    return (this.#report ??= exposureReport(this.suggestions, figureOf(this.model)));
  }

  get figure(): Figure {
    return figureOf(this.model);
  }

  get otherFigure(): FigureScore | null {
    if (this.#otherFigure === undefined)
      this.#otherFigure = this.suggestions
        ? otherFigure(this.model, this.suggestions.base, { policy: this.policy })
        : null;
    return this.#otherFigure;
  }

  get unitActions(): CodeAction[] {
    return (this.#unitActions ??= unitActions(this));
  }
}

/** Code actions for a range of the analyzed document: the fixes of diagnostics there, plus unit-wide actions. */
export function codeActions(analysis: DocumentAnalysis, span: Span): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of analysis.diagnostics) {
    if (d.file !== analysis.file || d.span.end < span.start || d.span.start > span.end) continue;
    for (const f of d.fixes ?? []) {
      // A fix never edits a vendor file: its lines go into the hardening drop-in, or it is not offered.
      const edits = keepOutOfVendorFiles(analysis.model, f.edits);
      if (edits !== null) out.push({ ...f, edits, kind: 'quickfix', diagnosticCode: d.code });
    }
  }
  for (const a of analysis instanceof Analysis ? analysis.unitActions : unitActions(analysis)) out.push(a);
  return out;
}

/** The actions that do not depend on the cursor: ReadWritePaths=, the safe set here or in a drop-in, moving to a drop-in. */
function unitActions(analysis: DocumentAnalysis): CodeAction[] {
  const out: CodeAction[] = [];
  const file = analysis.model.files.find((f) => f.path === analysis.file);
  if (!file || analysis.model.type !== 'service') return out;
  const vendor = isVendorPath(file.path);
  const rw = readWritePathsAction(analysis.model, file);
  const rwEdits = rw && keepOutOfVendorFiles(analysis.model, rw.edits);
  if (rw && rwEdits) out.push({ ...rw, edits: rwEdits });
  const result = analysis.suggestions;
  if (result) {
    // A vendor file gets no in-file safe set: its drop-in is the recommended one (Harden this unit…, the summary's action).
    const all = vendor
      ? null
      : safeSetAction(analysis.model, file, result, { version: analysis.model.version, policy: analysis.policy });
    if (all) out.push(all);
  }
  // Moving the vendor's own lines out of its file is pointless: the next package upgrade puts them back.
  const move = vendor ? null : moveToDropinAction(analysis.model, file);
  if (move) out.push(move);
  return out;
}
