/**
 * The protocol extensions of the language server, declared once for the server and the client.
 * Plain types only: this file imports nothing, so both sides can include it.
 */

/** `systemdHardening/exposure` request: the exposure report of the unit a document belongs to. */
export const EXPOSURE_REQUEST = 'systemdHardening/exposure';
export interface ExposureParams {
  uri: string;
}
export interface ExposureCheck {
  json_field: string;
  /** The check's id as systemd prints it. */
  name: string;
  /** true = at its best, false = not, null = not applicable. */
  set: boolean | null;
  /** As systemd prints the row's exposure: a number with one decimal, or null. */
  exposure: number | null;
  /** What the check is about, in our words ("Whether the service can ..."). */
  description: string;
  /** systemd's own text for the row. */
  systemd_description: string | null;
  /** Our rule id for the check (`sandbox-…`). */
  code: string;
}
export interface ExposureSuggestion {
  /** The exact line(s) to add under [Service]. */
  setting: string;
  json_fields: string[];
  exposure_after: number;
  safe: boolean;
}
/**
 * Which of `systemd-analyze security`'s figures a number is: `offline`, the file's (`--offline=yes FILE`,
 * systemd 250 and later), or `running`, the manager's for the loaded unit (every release). They differ in
 * how PrivateMounts= counts.
 */
export type Figure = 'offline' | 'running';
/** How the editor names each figure where it shows both: "3.3 in the file, 3.1 once running". */
export const FIGURE_WORDS: Readonly<Record<Figure, string>> = { offline: 'in the file', running: 'once running' };
/** A unit's overall exposure in the figure beside the one shown, and why the two differ. */
export interface FigureExposure {
  figure: Figure;
  exposure: number;
  band: string;
  why: string;
}
/** A unit's exposure report: shared by the CLI's JSON output and the exposure request. */
export interface ExposureReport {
  unit: string;
  /** The figure the numbers are. */
  figure: Figure;
  exposure: number | null;
  band: string | null;
  checks: ExposureCheck[];
  suggestions: ExposureSuggestion[];
  safe_set: { setting: string; exposure_after: number } | null;
  /** Fixes left out because the unit shows they would break it. */
  not_suggested: { setting: string; json_fields: string[]; reason: string }[];
  error?: string;
}
/** null when the document is not a service unit or one of its drop-ins. */
export type ExposureResult =
  | (ExposureReport & {
      /** Files merged into the unit, unit file first (as URIs). */
      files: string[];
      /** The release's other figure, only where it prints another overall exposure. */
      other_figure?: FigureExposure;
    })
  | null;

/** `systemdHardening/exposureChanged` notification, sent after every analysis of an open document. */
export const EXPOSURE_CHANGED = 'systemdHardening/exposureChanged';
export interface ExposureChanged {
  uri: string;
  unit: string | null;
  exposure: number | null;
  band: string | null;
  /** The figure `exposure` is (absent from servers before it was sent). */
  figure?: Figure;
  /** The release's other figure, only where it prints another overall exposure ("3.3 in the file, 3.1 once running"). */
  otherFigure?: FigureExposure;
  /** The target systemd version the figures follow, as the status bar shows it: `252`, `252 (auto)`, `252 (auto: 255.4 found)`, `252 (assumed)`. */
  target?: string;
}

/** `systemdHardening/workspaceUnits` request: every service unit under the workspace folders, scored. */
export const WORKSPACE_UNITS_REQUEST = 'systemdHardening/workspaceUnits';
export interface WorkspaceUnit {
  uri: string;
  unit: string;
  exposure: number | null;
  band: string | null;
  error?: string;
}
/** Optional: a token for work-done progress ($/progress begin, report, end) while the scan runs. */
export interface WorkspaceUnitsParams {
  workDoneToken?: string | number;
}
export interface WorkspaceUnitsResult {
  units: WorkspaceUnit[];
  /** Set when the list is incomplete (a folder walk or the number of units hit its limit), saying which. */
  truncated?: string;
}

/**
 * `systemdHardening/harden` request: the recommended drop-in of the unit a document belongs to
 * (`systemd-hardening harden`), with the edit that writes it. The editor previews it, then applies
 * `edit` ("Harden this unit…"). null when the document is not a unit or one of its drop-ins.
 */
export const HARDEN_REQUEST = 'systemdHardening/harden';
export interface HardenParams {
  uri: string;
}
/** A minimal WorkspaceEdit: create the file when missing, then replace its whole text. */
export interface HardenEdit {
  documentChanges: Array<
    | { kind: 'create'; uri: string; options: { ignoreIfExists: boolean } }
    | {
        textDocument: { uri: string; version: number | null };
        edits: Array<{
          range: { start: { line: number; character: number }; end: { line: number; character: number } };
          newText: string;
        }>;
      }
  >;
}
export type HardenResultMessage = {
  unit: string;
  /** The profile used (its id and title), null when none matched: an evidence-only drop-in. */
  profile: string | null;
  profileTitle: string | null;
  /** Where the drop-in goes (for a vendor unit: the administrator's /etc of the same root) and its URI. */
  dropinPath: string | null;
  dropinUri: string | null;
  /** The whole text of hardening.conf ('' when there is nothing to add). */
  dropin: string;
  exposureBefore: number | null;
  exposureAfter: number | null;
  bandBefore: string | null;
  bandAfter: string | null;
  /** Settings deliberately not applied, each with why. */
  leftOpen: { setting: string; why: string }[];
  /** What the administrator should check once the drop-in is in place. */
  verify: string[];
  /** The drop-in's text today when the file exists (the edit replaces it), else null. */
  existing: string | null;
  /** Creates or replaces the drop-in; null when there is nothing to write (or it already holds this text). */
  edit: HardenEdit | null;
  error?: string;
} | null;

/** Settings under `systemdHardening.*` (package.json declares the same keys and defaults). */
export interface HardeningSettings {
  /**
   * A version, or `auto`: the systemd installed where the server runs (read from its files), else 252. The
   * versions are the core's (every release 239–262; package.json lists them, the server checks the value).
   */
  systemdVersion: `${number}` | 'auto';
  policyFile: string;
  severity: Record<string, 'error' | 'warning' | 'information' | 'hint' | 'off'>;
  checks: { exclude: string[] };
  debounceMs: number;
  exposure: { enabled: boolean };
  /** Severity of the per-check sandbox diagnostics (`sandbox-…`); a per-code `severity` entry wins. */
  sandboxDiagnostics: { severity: 'hint' | 'information' | 'warning' | 'off' };
}

export const DEFAULT_SETTINGS: HardeningSettings = {
  systemdVersion: 'auto',
  policyFile: '',
  severity: {},
  checks: { exclude: [] },
  debounceMs: 150,
  exposure: { enabled: true },
  sandboxDiagnostics: { severity: 'hint' },
};

/** Where the rule documentation lives; a diagnostic's code is the anchor. */
export const RULE_DOCS_URL = 'https://github.com/systemd-hardening/systemd-hardening/blob/main/docs/rules.md';
