import type { EntryNode, Span, UnitFileTree } from '../syntax/tree';
import type { UnitName, UnitType } from './unit-name';
import type { UnitScope } from './scope';
import type { Figure } from '../knowledge/figures';

/** A file handed to the core by an adapter: its path (as the adapter names it) and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

export interface LoadedFile {
  path: string;
  tree: UnitFileTree;
  /** 0 for the unit file itself, then 1, 2, ... for drop-ins in the order systemd applies them. */
  order: number;
}

/** One `Key=value` that systemd applies to the unit. */
export interface Assignment {
  file: LoadedFile;
  entry: EntryNode;
  section: string;
  key: string;
  value: string;
}

/** An entry systemd reads but does not apply, and why. */
export interface IgnoredEntry {
  file: LoadedFile;
  entry: EntryNode;
  reason:
    | 'unknown-section'
    | 'extension-section'
    | 'extension-key'
    | 'unknown-directive'
    | 'misplaced-directive'
    | 'outside-section';
}

export interface UnitModel {
  /** The unit's name, e.g. `nginx.service` or `getty@tty1.service`. */
  name: string;
  unitName: UnitName | null;
  type: UnitType | null;
  /** The systemd version whose rules were applied. */
  version: number;
  /** Which manager loads the unit: from the path of its files unless the adapter said (scope.ts). */
  scope: UnitScope;
  /**
   * Whether a command given by bare name exists in DEFAULT_PATH on the machine that loads the unit
   * (asked by the adapter; 239–246 refuse the unit when not, see loader-rules.ts). Unknown when absent.
   */
  commandExists?: (name: string) => boolean;
  /** Which of `systemd-analyze security`'s figures the unit is scored for: one the release has (knowledge/figures.ts scoredFigure()). */
  figure: Figure;
  /** The unit file first, then drop-ins in application order. */
  files: LoadedFile[];
  /** Every applied assignment, in application order. */
  assignments: Assignment[];
  /** Applied assignments grouped by `Section.Key`, in order. */
  settings: Map<string, Assignment[]>;
  ignored: IgnoredEntry[];
  /** Sections systemd accepts in this unit type. */
  validSections: readonly string[];
}

/** A location in a specific file. */
export interface FileSpan {
  file: string;
  span: Span;
}

/** A value systemd rejects or repairs while loading (it logs a warning and ignores the assignment, or refuses the unit). */
export interface ValueProblem {
  assignment: Assignment;
  /** The offending part of the value, in the assignment's file (offsets into that file's text). */
  span: Span;
  message: string;
  /**
   * 'ignored': systemd logs and ignores the assignment (or the word);
   * 'fatal': systemd refuses to load the unit (e.g. an invalid User= name, a relative ExecStart= path).
   */
  effect: 'ignored' | 'fatal';
  /**
   * In a drop-in: systemd keeps this line (up to the problem) but reads no further in the file
   * (loader-rules.ts ParseRules.syscallErrnoConflictFails); security-inputs.ts cuts the file after it.
   */
  cutsRestOfFile?: true;
}
