/**
 * The one door into the core: plain text in, plain data out. No I/O, never throws on input.
 * The LSP server and the CLI are adapters over these functions.
 */
import { buildUnit } from './model/build';
import type { SourceFile, UnitModel } from './model/types';
import { runRules } from './rules';
import type { Diagnostic } from './rules/types';
import type { UnitFileTree } from './syntax/types';

export const SUPPORTED_VERSIONS = [252, 254, 257, 262] as const;
export type SupportedVersion = (typeof SUPPORTED_VERSIONS)[number];
export const DEFAULT_VERSION: SupportedVersion = 252;

export function isSupportedVersion(v: number): v is SupportedVersion {
  return (SUPPORTED_VERSIONS as readonly number[]).includes(v);
}

export interface UnitInput {
  /** The unit's name, e.g. `nginx.service`; a drop-in belongs to the unit its folder names. */
  name: string;
  /** The unit file first (if there is one), then its drop-ins in the order systemd applies them. */
  files: readonly SourceFile[];
  version: SupportedVersion;
  /** Parses the host already has, by path (for caching by document version). */
  trees?: ReadonlyMap<string, UnitFileTree>;
}

export interface UnitAnalysis {
  model: UnitModel;
  diagnostics: Diagnostic[];
}

export function analyzeUnit(input: UnitInput): UnitAnalysis {
  const model = buildUnit(input.name, input.files, { version: input.version, trees: input.trees });
  return { model, diagnostics: runRules(model) };
}

export { parseUnitFile, printTree } from './syntax/parser';
export { decodeBytes, encodeText } from './syntax/bytes';
export { LineIndex } from './syntax/lines';
export { parseUnitName, unitTypeOf, dropinNames } from './model/unit-name';
export { FileSet, findDropins, findFragment, dropinsBeside, systemSearchPath } from './model/search-path';
export type { Diagnostic, Fix, Severity, TextEdit } from './rules/types';
export type { SourceFile, UnitModel } from './model/types';
