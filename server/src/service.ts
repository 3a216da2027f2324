/**
 * The one door into the core: plain text in, plain data out. No I/O, never throws on input.
 *
 * The adapters (the language server in lsp/, the CLI in cli/) reach the core only through this file,
 * and only through `hardeningService` (or `createHardeningService()`), one object whose methods are
 * everything they may ask, the way vscode-json-languageservice's getLanguageService() returns one
 * LanguageService. The types those methods take and give are re-exported here, so an adapter names
 * no other module of the core, not even for a type. The functions behind the methods are exported by
 * name as well, for the core's own tests and the bench.
 */
import type { SourceFile, UnitModel } from './model/unit-model';
import type { Diagnostic } from './rules/diagnostic';
import type { Span, UnitFileTree } from './syntax/tree';
import { policyError, score, suggest, type Policy } from './exposure';
import { buildUnit } from './model/build';
import { exposureReport, type ExposureReport } from './features/report';
import { figureOf, FIGURE_WORDS } from './features/figures';
import { figuresOf, scoredFigure, type Figure } from './knowledge/figures';
import type { CodeAction } from './features/code-actions';
import { hardenUnit as harden, type HardenOptions, type HardenResult } from './features/harden';
import { withoutHardening } from './features/harden-files';
import { complete, type CompletionEntry } from './features/completion';
import { hover, type HoverResult } from './features/hover';
import type { FeatureContext } from './features/cursor-context';
import { summaryDiagnostic, type Recommendation } from './rules/summary';
import { allRules, type RuleDoc } from './rules/catalog';
import { MAX_DIAGNOSTICS_PER_FILE } from './rules/diagnostics-limit';
import { SERVICE_PROFILES, type ServiceProfile } from './knowledge/service-profiles';
import { parseUnitFile, printTree } from './syntax/parser';
import { decodeBytes, encodeText } from './syntax/bytes';
import { LineIndex } from './syntax/lines';
import { dropinNames, parseUnitName, unitTypeOf, type UnitName, type UnitType } from './model/unit-name';
import {
  dropinsBeside,
  FileSet,
  findDropins,
  findFragment,
  searchPathOfRoot,
  systemSearchPath,
} from './model/search-path';
import { scopeOfPath, userSearchPath, type UnitScope } from './model/scope';
import { DEFAULT_PATH } from './model/loader-rules';
import {
  analyzeDocument,
  analyzeUnit,
  codeActions,
  type DocumentAnalysis,
  type DocumentOptions,
  type UnitAnalysis,
  type UnitInput,
  buildOptionsOfInput,
} from './service/analysis';
import { DEFAULT_VERSION, isSupportedVersion, SUPPORTED_VERSIONS, type SupportedVersion } from './service/versions';
import { autoTarget, type AutoTarget } from './service/auto-version';
import type { SystemdEvidence } from './knowledge/installed-systemd';

/** A unit's overall exposure alone (no suggestions): what `systemd-analyze security` prints last. */
export interface UnitScore {
  unit: string;
  /** One decimal; null when systemd would not load the unit (then `error` says why). */
  exposure: number | null;
  band: string | null;
  error?: string;
}

/** Everything the adapters may ask of the core. Every method is total: bad input gives data that says so, never an exception. */
export interface HardeningService {
  // Versions
  /** The systemd versions whose rules the core knows, oldest first. */
  readonly versions: readonly SupportedVersion[];
  /** The version used when none is given (the oldest supported). */
  readonly defaultVersion: SupportedVersion;
  isSupportedVersion(v: number): v is SupportedVersion;
  /**
   * The figures `systemd-analyze security` gives for a release (knowledge/figures.ts): `offline` (the
   * file's, 250 and later) and `running` (the manager's, every release).
   */
  figures(version: number): readonly Figure[];
  /** The figure used when none is asked for: offline where the release has it, else running. */
  defaultFigure(version: number): Figure;
  /**
   * `auto`: the version of the systemd installed where the files were read (PID 1's program, its
   * libraries, the package database, os-release; see knowledge/installed-systemd.ts), mapped onto the
   * supported versions (the nearest when it is not one), or `fallback` when none is found, with the
   * words to show. The adapter reads the files (io/systemd-version.ts); this only looks at them.
   */
  autoTarget(evidence: SystemdEvidence, fallback: SupportedVersion): AutoTarget;

  // Analysis
  /** The unit as systemd sees it (its model) and the diagnostics of each of its files, capped per file. */
  analyzeUnit(input: UnitInput): UnitAnalysis;
  /** What an editor shows for one document of a unit: diagnostics, sandbox hints in that file, exposure and suggestions. */
  analyzeDocument(input: UnitInput, options: DocumentOptions): DocumentAnalysis;
  /** Code actions for a range of an analysed document: fixes of the diagnostics there, then the unit-wide actions. */
  codeActions(analysis: DocumentAnalysis, span: Span): CodeAction[];
  /**
   * The exposure-summary diagnostic on [Service] of the analysed document, with "Harden this unit…";
   * `recommended` is the unit's hardenUnit() result when already worked out (null: the summary says
   * the exposure alone). null when the document's unit is not a scored service.
   */
  summary(analysis: DocumentAnalysis, recommended: Recommendation | null): Diagnostic | null;

  // Editor features
  /** Completion at a cursor: sections, directives, values (with the exposure after each), profiles as snippets. */
  complete(at: FeatureContext): CompletionEntry[];
  /** Hover at a cursor: what the directive or value means, and what the line does to the exposure. */
  hover(at: FeatureContext): HoverResult | null;

  // Exposure
  /** The overall exposure of a unit, without suggestions (the workspace ranking). */
  scoreUnit(input: UnitInput, policy?: Policy): UnitScore;
  /** The full exposure report of a unit model (every check, suggestions, the safe set), as `score --format json` gives it. */
  exposureReport(model: UnitModel, policy?: Policy): ExposureReport;
  /** The recommended drop-in (NAME.service.d/hardening.conf) and the exposure before and after it: see features/harden.ts. */
  hardenUnit(input: UnitInput, options?: HardenOptions): HardenResult;
  /** The files without the unit's hardening.conf (what the recommended drop-in replaces). */
  withoutHardening(files: readonly SourceFile[]): SourceFile[];
  /** Why a `--security-policy` document cannot be used for this version, or null when it can. */
  policyError(policy: Policy, version: number): string | null;

  // Catalogues
  /** Every rule (diagnostic code) with its default severity and summary (docs/rules.md is generated from it). */
  rules(): RuleDoc[];
  /** The hardening profiles of known services and kinds of services (`harden --profile ID`). */
  readonly profiles: readonly ServiceProfile[];
  /** How many diagnostics one file gets at most (then one `too-many-problems`). */
  readonly maxDiagnosticsPerFile: number;

  // Text
  /** Bytes to text without loss (invalid UTF-8 bytes become lone surrogates), and back. */
  decodeBytes(bytes: Uint8Array): string;
  encodeText(text: string): Uint8Array;
  /** The lossless parse tree of a unit file, and its text back. */
  parseUnitFile(text: string): UnitFileTree;
  printTree(tree: UnitFileTree): string;
  /** Converts offsets of `text` to editor positions (line, UTF-16 character) and back. */
  lineIndex(text: string): LineIndex;

  // Unit names and search paths
  /** A unit name's parts (prefix, instance, type), or null when systemd would not accept it. */
  parseUnitName(name: string): UnitName | null;
  unitTypeOf(name: string): UnitType | null;
  /** The names whose `NAME.d/` folders hold drop-ins for `name`, most specific last. */
  dropinNames(name: string): string[];
  /** systemd's unit search path for a version (system manager). */
  systemSearchPath(version: number): string[];
  /** The search path under the root a unit folder lies in (`/ROOT/etc/systemd/system` → ROOT's path; a user unit folder: the user search path), or null. */
  searchPathOfRoot(folder: string, version: number): string[] | null;
  /** systemd's user unit search path under `root` (the folders of every user; a home or runtime folder when given). */
  userSearchPath(root?: string, home?: string | null, runtime?: string | null): string[];
  /** DEFAULT_PATH of systemd 239–246: where they look up a command named without a path (UnitInput.commandExists). */
  readonly commandFolders: readonly string[];
  /** Whether a unit file (or drop-in) at `path` is a user unit: it lies in a folder of the user search path. */
  scopeOfPath(path: string): UnitScope;
  /** A set of existing file paths, indexed by folder, for the lookups below. */
  fileSet(paths: Iterable<string>): FileSet;
  /** The unit file systemd loads for `name` among `files`, along `searchPath`. */
  findFragment(name: string, files: FileSet, searchPath: readonly string[]): string | null;
  /** The drop-ins of `name` among `files`, in the order systemd applies them. */
  findDropins(name: string, files: FileSet, searchPath: readonly string[]): string[];
  /** The drop-ins of a unit file found beside it only (its own folder's `NAME.d/`). */
  dropinsBeside(unitPath: string, name: string, files: FileSet): string[];
}

/** The overall exposure of a unit (no suggestions): what `systemd-analyze security` prints last. */
export function scoreUnit(input: UnitInput, policy?: Policy): UnitScore {
  const model = buildUnit(input.name, input.files, buildOptionsOfInput(input));
  const r = score(model, { version: input.version, policy });
  return {
    unit: r.unit,
    exposure: r.exposure ? r.exposure.tenths / 10 : null,
    band: r.band,
    ...(r.refused ? { error: r.refused.reason } : {}),
  };
}

/** The recommended drop-in of a unit and the exposure before and after it: see features/harden.ts. */
export function hardenUnit(input: UnitInput, options?: HardenOptions): HardenResult {
  return harden(input, options);
}

function summary(analysis: DocumentAnalysis, recommended: Recommendation | null): Diagnostic | null {
  const base = analysis.suggestions?.base;
  const own = analysis.model.files.find((f) => f.path === analysis.file);
  if (!own || !base?.exposure || analysis.model.type !== 'service') return null;
  const other = analysis.otherFigure;
  const beside = other
    ? {
        own: FIGURE_WORDS[figureOf(analysis.model)],
        other: `${other.exposure.toFixed(1)} ${other.band} ${FIGURE_WORDS[other.figure]}`,
      }
    : null;
  return summaryDiagnostic(
    analysis.model.name,
    analysis.model.files,
    own,
    base.exposure.text,
    base.band,
    recommended,
    analysis.model.scope === 'user',
    beside,
  );
}

/** The service without the editor's requests at a cursor (`complete`, `hover`): everything the CLI asks. */
export type BatchService = Omit<HardeningService, 'complete' | 'hover'>;

/**
 * A new batch service object (no state, the same answers as `batchService`). It names neither completion nor
 * hover, so a bundle that uses only it (the CLI's) carries none of their code and data.
 */
export function createBatchService(): BatchService {
  return {
    versions: SUPPORTED_VERSIONS,
    defaultVersion: DEFAULT_VERSION,
    isSupportedVersion,
    figures: figuresOf,
    defaultFigure: (version) => scoredFigure(version),
    autoTarget,
    analyzeUnit,
    analyzeDocument,
    codeActions,
    summary,
    scoreUnit,
    exposureReport: (model, policy) =>
      exposureReport(suggest(model, { version: model.version, policy }), figureOf(model)),
    hardenUnit,
    withoutHardening,
    policyError,
    rules: allRules,
    profiles: SERVICE_PROFILES,
    maxDiagnosticsPerFile: MAX_DIAGNOSTICS_PER_FILE,
    decodeBytes,
    encodeText,
    parseUnitFile,
    printTree,
    lineIndex: (text) => new LineIndex(text),
    parseUnitName,
    unitTypeOf,
    dropinNames,
    systemSearchPath,
    searchPathOfRoot,
    userSearchPath,
    scopeOfPath,
    commandFolders: DEFAULT_PATH,
    fileSet: (paths) => new FileSet(paths),
    findFragment,
    findDropins,
    dropinsBeside,
  };
}

/** A new service object (it holds no state: every call gives the same answers as `hardeningService`). */
export function createHardeningService(): HardeningService {
  return { ...createBatchService(), complete, hover };
}

// Marked pure so that esbuild leaves out of a bundle the one its entry does not use.
/** The service the language server uses. */
export const hardeningService: HardeningService = /* @__PURE__ */ createHardeningService();
/** The service the CLI uses: `hardeningService` without completion and hover. */
export const batchService: BatchService = /* @__PURE__ */ createBatchService();

// The types of the service's methods, so that adapters name nothing else of the core.
export type { UnitInput, UnitAnalysis, DocumentOptions, DocumentAnalysis } from './service/analysis';
export type { SupportedVersion } from './service/versions';
export type { AutoTarget } from './service/auto-version';
export type { SystemdEvidence, SystemdDetection, InstalledSystemd } from './knowledge/installed-systemd';
export type { HardenOptions, HardenResult } from './features/harden';
export type { ServiceProfile } from './knowledge/service-profiles';
export type { CodeAction } from './features/code-actions';
export type { ExposureReport, ReportCheck, ReportSuggestion, ReportAvoided } from './features/report';
export type { Figure, FigureScore } from './features/figures';
export type { CompletionEntry, CompletionKind } from './features/completion';
export type { HoverResult } from './features/hover';
export type { FeatureContext } from './features/cursor-context';
export type { Recommendation } from './rules/summary';
export type { RuleDoc } from './rules/catalog';
export type { Policy, SuggestResult } from './exposure';
export type { Diagnostic, Fix, Severity, TextEdit } from './rules/diagnostic';
export type { SandboxSeverity } from './rules/sandbox';
export type { SourceFile, LoadedFile, UnitModel } from './model/unit-model';
export type { UnitName, UnitType } from './model/unit-name';
export type { UnitScope } from './model/scope';
export type { Span, UnitFileTree } from './syntax/tree';
export type { Position } from './syntax/lines';

// The same functions by name, for the core's tests and the bench (adapters use `hardeningService`).
export { SUPPORTED_VERSIONS, DEFAULT_VERSION, isSupportedVersion } from './service/versions';
export { autoTarget, nearestSupported } from './service/auto-version';
export { detectInstalledSystemd } from './knowledge/installed-systemd';
export { analyzeUnit, analyzeDocument, codeActions } from './service/analysis';
export { SERVICE_PROFILES } from './knowledge/service-profiles';
export { MAX_DIAGNOSTICS_PER_FILE } from './rules/diagnostics-limit';
export { parseUnitFile, printTree } from './syntax/parser';
export { decodeBytes, encodeText } from './syntax/bytes';
export { LineIndex } from './syntax/lines';
export { parseUnitName, unitTypeOf, dropinNames } from './model/unit-name';
export {
  FileSet,
  findDropins,
  findFragment,
  dropinsBeside,
  searchPathOfRoot,
  systemSearchPath,
} from './model/search-path';
export { scopeOfPath, userSearchPath } from './model/scope';
export { withoutHardening } from './features/harden-files';
