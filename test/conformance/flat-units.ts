/**
 * A corpus case renamed for a batch folder: the unit file and its packaged drop-ins under names with
 * a unique prefix (`c17-foo.service`, `c17-foo.service.d/x.conf`, a template stays a template:
 * `c17-foo@.service`), both as files for the real binary (relative to the folder) and as the model
 * we score (the same files in a folder of our own, resolved by the same search rules).
 */
import type { Figure } from '../../server/src/knowledge/figures';
import { basename } from 'node:path';
import { buildUnit } from '../../server/src/model/build';
import { FileSet, findDropins, findFragment } from '../../server/src/model/search-path';
import { modelForAnalysis, typedValues } from '../../server/src/model/security-inputs';
import type { UnitModel } from '../../server/src/model/unit-model';
import type { UnitScope } from '../../server/src/model/scope';
import type { BatchUnit } from './batch-oracle';
import type { CorpusCase } from './corpus-cases';

/** Where our model places the batch folder's files. */
export const FLAT_DIR = '/run/systemd-hardening-batch';

export interface FlatUnit {
  /** The renamed unit (an instance or a template name, as in the corpus line). */
  name: string;
  /** The files, relative to the folder. */
  files: Array<{ name: string; text: string }>;
  /** Name of the fragment file (the template for an instance). */
  fragment: string;
}

/** The case under `prefix-` names; `extra` are drop-ins added after the packaged ones (relative names). */
export function flatUnit(
  c: CorpusCase,
  prefix: string,
  extra: ReadonlyArray<{ name: string; text: string }> = [],
): FlatUnit {
  const rename = (n: string) => `${prefix}-${n}`;
  const fragment = rename(basename(c.unitFile.pkgPath));
  const files = [{ name: fragment, text: c.unitFile.text }];
  for (const d of c.dropins) {
    const parts = d.pkgPath.split('/');
    files.push({ name: `${rename(parts[parts.length - 2]!)}/${parts[parts.length - 1]!}`, text: d.text });
  }
  for (const e of extra) files.push({ name: e.name, text: e.text });
  return { name: rename(c.unit), files, fragment };
}

export function batchUnit(u: FlatUnit, model?: UnitModel): BatchUnit {
  return { name: u.name, files: u.files, exclusive: model ? busNameOf(model) : null };
}

/** The unit's BusName= (one systemd manager refuses two services with the same one). */
export function busNameOf(model: UnitModel): string | null {
  return typedValues(modelForAnalysis(model, model.version)).value.service.busName;
}

/** Our model of the renamed unit for a version (files resolved in FLAT_DIR as systemd resolves them in the batch folder). */
export function flatModel(
  u: FlatUnit,
  version: number,
  figure?: Figure,
  scope?: UnitScope,
  commandExists?: (name: string) => boolean,
): UnitModel {
  const texts = new Map(u.files.map((f) => [`${FLAT_DIR}/${f.name}`, f.text]));
  const set = new FileSet(texts.keys());
  const fragment = findFragment(u.name, set, [FLAT_DIR]);
  if (!fragment) throw new Error(`no fragment for ${u.name}`);
  const paths = [fragment, ...findDropins(u.name, set, [FLAT_DIR])];
  return buildUnit(
    u.name,
    paths.map((p) => ({ path: p, text: texts.get(p)! })),
    { version, scope, figure, commandExists },
  );
}
