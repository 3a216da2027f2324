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
  name: string;
  set: boolean | null;
  exposure: number | null;
  description: string;
  systemd_description: string | null;
  code: string;
}
export interface ExposureSuggestion {
  setting: string;
  json_fields: string[];
  exposure_after: number;
  safe: boolean;
}
/** null when the document is not a service unit or one of its drop-ins. */
export type ExposureResult = {
  unit: string;
  exposure: number | null;
  band: string | null;
  checks: ExposureCheck[];
  suggestions: ExposureSuggestion[];
  safe_set: { setting: string; exposure_after: number } | null;
  not_suggested: { setting: string; json_fields: string[]; reason: string }[];
  error?: string;
  /** Files merged into the unit, unit file first (as URIs). */
  files: string[];
} | null;

/** `systemdHardening/exposureChanged` notification, sent after every analysis of an open document. */
export const EXPOSURE_CHANGED = 'systemdHardening/exposureChanged';
export interface ExposureChanged {
  uri: string;
  unit: string | null;
  exposure: number | null;
  band: string | null;
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
export interface WorkspaceUnitsResult {
  units: WorkspaceUnit[];
}

/** Settings under `systemdHardening.*` (package.json declares the same keys and defaults). */
export interface HardeningSettings {
  systemdVersion: '252' | '254' | '257' | '262';
  policyFile: string;
  severity: Record<string, 'error' | 'warning' | 'information' | 'hint' | 'off'>;
  checks: { exclude: string[] };
  debounceMs: number;
  exposure: { enabled: boolean };
}

export const DEFAULT_SETTINGS: HardeningSettings = {
  systemdVersion: '252',
  policyFile: '',
  severity: {},
  checks: { exclude: [] },
  debounceMs: 150,
  exposure: { enabled: true },
};

/** Where the rule documentation lives; a diagnostic's code is the anchor. */
export const RULE_DOCS_URL = 'https://github.com/systemd-hardening/systemd-hardening/blob/main/docs/rules.md';
