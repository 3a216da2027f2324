/**
 * The corpus cases of shared/corpus/oracle*.jsonl (each unit alone, and the units that have packaged
 * drop-ins together with them) as files for the model, for the conformance tests that score them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSet, findDropins, findFragment, systemSearchPath } from '../../server/src/model/search-path';
import { analysedUnitName } from '../../server/src/model/security-inputs';
import { CORPUS } from '../helpers';

export { CORPUS };

export const ORACLE_FILES: Record<number, string> = {
  252: 'oracle.jsonl',
  254: 'oracle-254.jsonl',
  257: 'oracle-257.jsonl',
  262: 'oracle-262.jsonl',
};

export interface CorpusLine {
  package: string;
  path: string;
  unit: string;
  dropins: string[];
  scored_unit: string | null;
}

export interface CorpusCase {
  line: CorpusLine;
  /** `package/path + unit + drop-ins`, as exposure.test.ts names cases. */
  label: string;
  /** The unit name given to systemd-analyze (a template as the template name). */
  unit: string;
  /** The unit file (package path) and drop-ins (package paths), with their text. */
  unitFile: { pkgPath: string; text: string };
  dropins: Array<{ pkgPath: string; text: string }>;
}

export function corpusCases(version: number): CorpusCase[] {
  const file = ORACLE_FILES[version];
  if (!file) throw new RangeError(`no oracle file for ${version}`);
  const read = (pkgPath: string) => ({ pkgPath, text: readFileSync(join(CORPUS, 'units', pkgPath), 'utf8') });
  return readFileSync(join(CORPUS, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const line = JSON.parse(l) as CorpusLine;
      return {
        line,
        label: [`${line.package}/${line.path}`, line.unit, ...line.dropins].join(' + '),
        unit: line.unit,
        unitFile: read(`${line.package}/${line.path}`),
        dropins: line.dropins.map(read),
      };
    });
}

/**
 * The case's files at their package paths (under /usr for 255+, as the oracle placed them), in the
 * order systemd applies them, and the name systemd-analyze analyses.
 */
export function placedCase(
  c: CorpusCase,
  version: number,
): { name: string; files: Array<{ path: string; text: string }> } {
  const place = (pkgPath: string): string => {
    let rel = pkgPath.slice(pkgPath.indexOf('/') + 1);
    if (version >= 255 && rel.startsWith('lib/')) rel = `usr/${rel}`;
    return `/${rel}`;
  };
  const texts = new Map<string, string>();
  texts.set(place(c.unitFile.pkgPath), c.unitFile.text);
  for (const d of c.dropins) texts.set(place(d.pkgPath), d.text);
  const name = analysedUnitName(c.unit, version);
  const fs = new FileSet(texts.keys());
  const sp = systemSearchPath(version);
  const fragment = findFragment(name, fs, sp);
  if (!fragment) throw new Error(`no fragment for ${name}`);
  return { name, files: [fragment, ...findDropins(name, fs, sp)].map((p) => ({ path: p, text: texts.get(p)! })) };
}
