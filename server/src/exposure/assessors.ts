/**
 * The check tables of `systemd-analyze security` (server/data/assessors.json, generated from each
 * release's security_assessor_table[] by scripts/gen-assessors.mjs). The file describes every release
 * 239–262 (each distinct table once); the engine answers for the target versions only.
 */
import data from '../../data/assessors.json';
import { type TargetVersion, targetVersion } from '../model/values/folded';

export type AssessorKind =
  | 'bool'
  | 'user'
  | 'supplementary_groups'
  | 'remove_ipc'
  | 'capability_bounding_set'
  | 'ambient_capabilities'
  | 'umask'
  | 'protect_home'
  | 'protect_system'
  | 'root_directory'
  | 'keyring_mode'
  | 'protect_proc'
  | 'proc_subset'
  | 'notify_access'
  | 'restrict_namespaces'
  | 'system_call_architectures'
  | 'system_call_filter'
  | 'ip_address_allow'
  | 'device_allow';

export interface Assessor {
  /** The id systemd prints, e.g. `CapabilityBoundingSet=~CAP_SYS_ADMIN`. */
  name: string;
  /** Same as `name` (systemd's struct calls it `id`). */
  id: string;
  json_field: string;
  weight: number;
  range: number;
  description_good: string | null;
  description_bad: string | null;
  description_na: string | null;
  url: string | null;
  kind: AssessorKind;
  default_dependencies_only: boolean;
  parameters?: {
    field?: string;
    invert?: true;
    capabilities?: string[];
    capabilityMask?: string;
    namespace?: string;
    namespaceFlag?: string;
    syscallGroup?: string;
  };
}

/** A release's reference build: a systemd-stable tag, a Debian source package, or none (see assessors.json). */
export type AssessorRef =
  { source: 'systemd-stable'; tag: string } | { source: 'debian'; package: string } | { source: 'none' };

interface AssessorsFile {
  /** Each distinct check table once, by id. */
  tables: Record<string, Array<Omit<Assessor, 'id'>>>;
  /** Every release 239–262: its reference build and the id of its table (and how it scores beyond it). */
  versions: Record<string, { ref: AssessorRef; table: string }>;
}

const file = data as unknown as AssessorsFile;

const tables = new Map<TargetVersion, readonly Assessor[]>();

/** The checks of a version, in systemd's table order. */
export function assessorsFor(version: number): readonly Assessor[] {
  const v: TargetVersion = targetVersion(version);
  let t = tables.get(v);
  if (!t) {
    const entry = file.versions[String(v)];
    const rows = entry ? file.tables[entry.table] : undefined;
    if (!rows) throw new RangeError(`no assessor table for systemd ${v}`);
    t = rows.map((c) => Object.freeze({ ...c, id: c.name })); // the array unfrozen: see freezeResult() in security-inputs.ts
    tables.set(v, t);
  }
  return t;
}

/** The build the table of a version was read from: a Debian package version or a systemd-stable tag. */
export function assessorSource(version: number): string {
  const ref = file.versions[String(targetVersion(version))]?.ref;
  if (!ref) return '';
  return ref.source === 'debian' ? ref.package : ref.source === 'systemd-stable' ? ref.tag : '';
}
