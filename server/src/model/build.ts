/**
 * Builds the unit as systemd sees it: the unit file, then its drop-ins in order, each entry kept
 * when its section is one the unit type accepts and its key is one that systemd version knows.
 */
import { isKnown } from '../knowledge/directives';
import { type Figure, scoredFigure } from '../knowledge/figures';
import { parseUnitFile } from '../syntax/parser';
import type { UnitFileTree } from '../syntax/tree';
import { sectionsOf } from './sections';
import type { Assignment, IgnoredEntry, LoadedFile, SourceFile, UnitModel } from './unit-model';
import { parseUnitName } from './unit-name';
import { scopeOfPath, type UnitScope } from './scope';

export interface BuildOptions {
  /** systemd version whose directive table applies. */
  version: number;
  /** The figure to score for; the release's default (offline where it has one) when left out. */
  figure?: Figure;
  /** Trees already parsed by the caller (keyed by path), so a host can cache parses by document version. */
  trees?: ReadonlyMap<string, UnitFileTree>;
  /** Which manager loads the unit; by default read from the path of its first file (scope.ts). */
  scope?: UnitScope;
  /** See UnitModel.commandExists. */
  commandExists?: (name: string) => boolean;
}

/** The options a model was built with (but the parses): to build a variant of it the same way. */
export function buildOptionsOf(model: UnitModel): BuildOptions {
  return { version: model.version, figure: model.figure, scope: model.scope, commandExists: model.commandExists };
}

export function settingKey(section: string, key: string): string {
  return `${section}.${key}`;
}

/**
 * `files[0]` is the unit file (or the first drop-in when the unit file is missing), the rest are
 * drop-ins in the order systemd applies them.
 */
export function buildUnit(name: string, files: readonly SourceFile[], options: BuildOptions): UnitModel {
  const unitName = parseUnitName(name);
  const type = unitName?.type ?? null;
  const validSections = sectionsOf(type);
  const loaded: LoadedFile[] = files.map((f, order) => ({
    path: f.path,
    tree: options.trees?.get(f.path) ?? parseUnitFile(f.text),
    order,
  }));
  const assignments: Assignment[] = [];
  const ignored: IgnoredEntry[] = [];
  const settings = new Map<string, Assignment[]>();

  for (const file of loaded) {
    for (const entry of file.tree.entries) {
      const header = entry.section;
      if (!header) {
        ignored.push({ file, entry, reason: 'outside-section' });
        continue;
      }
      const section = header.name;
      if (!validSections.includes(section)) {
        ignored.push({ file, entry, reason: section.startsWith('X-') ? 'extension-section' : 'unknown-section' });
        continue;
      }
      if (entry.key.startsWith('X-')) {
        ignored.push({ file, entry, reason: 'extension-key' });
        continue;
      }
      if (!isKnown(section, entry.key, options.version)) {
        const elsewhere = validSections.some((s) => s !== section && isKnown(s, entry.key, options.version));
        ignored.push({ file, entry, reason: elsewhere ? 'misplaced-directive' : 'unknown-directive' });
        continue;
      }
      const a: Assignment = { file, entry, section, key: entry.key, value: entry.value };
      assignments.push(a);
      const k = settingKey(section, entry.key);
      const list = settings.get(k);
      if (list) list.push(a);
      else settings.set(k, [a]);
    }
  }
  return {
    name,
    unitName,
    type,
    version: options.version,
    scope: options.scope ?? scopeOfPath(files[0]?.path ?? ''),
    ...(options.commandExists ? { commandExists: options.commandExists } : {}),
    figure: scoredFigure(options.version, options.figure),
    files: loaded,
    assignments,
    settings,
    ignored,
    validSections,
  };
}

/** The assignments of one setting, in the order systemd applies them. */
export function assignmentsOf(model: UnitModel, section: string, key: string): readonly Assignment[] {
  return model.settings.get(settingKey(section, key)) ?? [];
}

/** The last assignment of a setting (what wins for settings that are not lists). */
export function lastAssignment(model: UnitModel, section: string, key: string): Assignment | undefined {
  const list = model.settings.get(settingKey(section, key));
  return list ? list[list.length - 1] : undefined;
}

/**
 * The assignments that still count for a list-valued setting: everything after the last empty
 * assignment (an empty assignment resets the list).
 */
export function effectiveListAssignments(model: UnitModel, section: string, key: string): readonly Assignment[] {
  const list = model.settings.get(settingKey(section, key)) ?? [];
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.value === '') return list.slice(i + 1);
  return list;
}
