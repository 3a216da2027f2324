/**
 * Code actions beyond the fixes that diagnostics carry: add ReadWritePaths= for the paths the unit
 * writes, apply the whole safe hardening set, move the hardening into a drop-in (instead of editing a
 * vendor unit under /usr/lib or /lib). Plain data: titles and text edits; the LSP adapter converts.
 */
import { directivesOfCheck, exposureAfterEdits, insertionFor } from '../rules/sandbox';
import type { Fix, TextEdit } from '../rules/diagnostic';
import type { LoadedFile, UnitModel } from '../model/unit-model';
import type { ScoreOptions, SuggestResult } from '../exposure';
import { assessorsFor } from '../exposure';
import { inferWritePaths, writePathLines } from '../evidence/write-paths';
import { hardeningDropinPath } from '../model/vendor';

export { hardeningDropinPath, isVendorPath } from '../model/vendor';

export type ActionKind = 'quickfix' | 'refactor' | 'source';

export interface CodeAction extends Fix {
  kind: ActionKind;
  /** The code of the diagnostic this action fixes, when it is a diagnostic's fix. */
  diagnosticCode?: string;
}

/**
 * Adds RuntimeDirectory= or ReadWritePaths= for the paths this unit writes but that ProtectSystem=strict
 * would make read-only (see writePathLines()).
 */
export function readWritePathsAction(model: UnitModel, file: LoadedFile): CodeAction | null {
  const paths = inferWritePaths(model);
  if (paths.length === 0) return null;
  const lines = writePathLines(model, paths);
  const why = [...new Set(paths.map((p) => p.reason))].join(', ');
  const inRun = paths.find((p) => p.file !== undefined);
  const note = inRun
    ? `; ${inRun.file} lies directly in /run, so all of /run becomes writable: a file in the service's own RuntimeDirectory= would not need that`
    : '';
  return {
    kind: 'quickfix',
    title: `Add ${lines.join(', ')} (written according to ${why}${note})`,
    edits: [insertionFor(file, lines)],
  };
}

/** Applies every suggestion of the safe set in one edit. */
export function safeSetAction(
  model: UnitModel,
  file: LoadedFile,
  result: SuggestResult,
  options: ScoreOptions,
): CodeAction | null {
  const safe = result.safeSet;
  const base = result.base.exposure;
  if (!safe || !base || safe.lines.length === 0) return null;
  const edit = insertionFor(file, safe.lines);
  const after = exposureAfterEdits(model, [edit], options) ?? safe.exposure.text;
  return {
    kind: 'quickfix',
    title: `Apply the safe hardening set (${safe.lines.length} settings, exposure ${base.text} → ${after})`,
    edits: [edit],
  };
}

/** Directive names that any exposure check of this version reads. */
export function sandboxDirectives(version: number): Set<string> {
  const out = new Set<string>();
  for (const a of assessorsFor(version)) for (const d of directivesOfCheck(a.id)) out.add(d);
  for (const d of [
    'ReadWritePaths',
    'ReadOnlyPaths',
    'InaccessiblePaths',
    'TemporaryFileSystem',
    'SystemCallErrorNumber',
    'IPAddressAllow',
    'DevicePolicy',
    'Group',
    'PrivateIPC',
    'NoExecPaths',
    'ExecPaths',
  ])
    out.add(d);
  return out;
}

/**
 * Moves the sandboxing settings of a unit file's [Service] section into NAME.service.d/hardening.conf
 * (appending to it when it already exists in the unit), deleting them from the unit file.
 */
export function moveToDropinAction(model: UnitModel, file: LoadedFile): CodeAction | null {
  if (file.order !== 0 || file.path.endsWith('.conf')) return null;
  const names = sandboxDirectives(model.version);
  const moving = model.assignments.filter((a) => a.file === file && a.section === 'Service' && names.has(a.key));
  if (moving.length === 0) return null;
  const text = file.tree.text;
  const path = hardeningDropinPath(model, file);
  const edits: TextEdit[] = moving.map((a) => ({ file: file.path, span: a.entry.span, newText: '' }));
  const lines = moving.map((a) => text.slice(a.entry.span.start, a.entry.span.end).replace(/\r?\n$/, ''));
  const existing = model.files.find((f) => f.path === path);
  if (existing) edits.push(insertionFor(existing, lines));
  else edits.push({ file: path, span: { start: 0, end: 0 }, newText: `[Service]\n${lines.join('\n')}\n` });
  return {
    kind: 'refactor',
    title: `Move ${moving.length} sandboxing setting${moving.length === 1 ? '' : 's'} into ${path}`,
    edits,
  };
}
