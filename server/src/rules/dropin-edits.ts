/**
 * Fixes never edit a vendor file (a unit under /usr/lib or /lib, also inside a chroot or an image
 * tree, or a generated one): the package manager or systemd rewrites it. A fix that adds lines to
 * [Service] of such a file adds them to the unit's hardening drop-in under the administrator's /etc of
 * the same root instead (model/vendor.ts), which systemd applies after the unit file, so the lines
 * have the same effect. A fix that changes or removes text of a vendor file has no drop-in form and
 * is not offered.
 */
import type { UnitModel } from '../model/unit-model';
import { hardeningDropinPath, isVendorPath } from '../model/vendor';
import { insertionFor } from './sandbox';
import type { TextEdit } from './diagnostic';

const ASSIGNMENT_LINE = /^[A-Za-z][A-Za-z0-9]*=/;

/** The assignment lines an insertion adds to [Service], or null when it is anything else. */
function serviceLinesOf(model: UnitModel, edit: TextEdit): string[] | null {
  if (edit.span.start !== edit.span.end) return null;
  const file = model.files.find((f) => f.path === edit.file);
  if (!file) return null;
  let section: string | undefined;
  for (const s of file.tree.sections) if (s.span.start <= edit.span.start) section = s.name;
  const lines = edit.newText.split(/\r\n|\r|\n/).filter((l) => l !== '');
  if (lines[0] === '[Service]') lines.shift();
  else if (section !== 'Service') return null;
  if (lines.length === 0 || !lines.every((l) => ASSIGNMENT_LINE.test(l))) return null;
  return lines;
}

/** The path of the unit's hardening drop-in (where fixes to vendor files go). */
export function dropinPathOf(model: UnitModel): string | null {
  const first = model.files[0];
  return first ? hardeningDropinPath(model, first) : null;
}

/**
 * The edits with every edit of a vendor file moved into the hardening drop-in; the edits unchanged
 * when none touches a vendor file; null when one cannot be moved (it changes or removes vendor text).
 */
export function keepOutOfVendorFiles(model: UnitModel, edits: readonly TextEdit[]): TextEdit[] | null {
  if (!edits.some((e) => isVendorPath(e.file))) return edits as TextEdit[];
  const path = dropinPathOf(model);
  if (path === null || isVendorPath(path)) return null;
  const out: TextEdit[] = [];
  const lines: string[] = [];
  for (const e of edits) {
    if (!isVendorPath(e.file)) {
      out.push(e);
      continue;
    }
    const added = serviceLinesOf(model, e);
    if (added === null) return null;
    for (const l of added) lines.push(l);
  }
  const existing = model.files.find((f) => f.path === path);
  out.push(
    existing
      ? insertionFor(existing, lines)
      : { file: path, span: { start: 0, end: 0 }, newText: `[Service]\n${lines.join('\n')}\n` },
  );
  return out;
}
