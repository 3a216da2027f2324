/** Section-level findings: sections the unit type does not have, and sections repeated in one file. */
import { closestName } from './did-you-mean';
import type { LoadedFile, UnitModel } from '../model/unit-model';
import type { Diagnostic } from './diagnostic';

export function sectionDiagnostics(model: UnitModel, file: LoadedFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, number>();
  // Without a unit type (an editor with no file name, a type-wide drop-in folder such as service.d/), the
  // sections checked are a service's (model/sections.ts).
  const has = model.type ? `A .${model.type} unit has` : 'Without a unit type, this is checked as a service, which has';
  for (const header of file.tree.sections) {
    const name = header.name;
    if (!model.validSections.includes(name)) {
      if (name.startsWith('X-')) continue;
      const guess = closestName(name, model.validSections);
      const hint = guess
        ? ` Did you mean [${guess}]?`
        : ` ${has} ${model.validSections.map((s) => `[${s}]`).join(', ')}.`;
      out.push({
        code: 'unknown-section',
        severity: 'warning',
        message: `Unknown section [${name}]: systemd ignores it and everything in it.${hint}`,
        file: file.path,
        span: header.nameSpan,
        fixes: guess
          ? [
              {
                title: `Rename to [${guess}]`,
                edits: [{ file: file.path, span: header.nameSpan, newText: guess }],
                preferred: true,
              },
            ]
          : [],
      });
      continue;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      out.push({
        code: 'duplicate-section',
        severity: 'information',
        message: `[${name}] appears again (first on line ${first}): systemd reads both as one section, so settings here add to or override the ones above.`,
        file: file.path,
        span: header.nameSpan,
      });
    } else seen.set(name, header.sdLine);
  }
  return out;
}
