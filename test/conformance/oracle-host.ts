/**
 * The machine the stored oracle answers were made on, as far as they depend on it: which command names
 * without a path it has in DEFAULT_PATH (test/fixtures/refusals/oracle-host-commands.json). systemd
 * 239–246 refuse a unit that names a missing one; the engine asks UnitModel.commandExists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers';

const file = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'refusals', 'oracle-host-commands.json'), 'utf8'),
) as { present: string[]; absent: string[] };
const present = new Set(file.present);
const absent = new Set(file.absent);

/** Whether the oracle host has the command; a name not recorded is an error (record it in the fixture). */
export function oracleHostHas(name: string): boolean {
  if (present.has(name)) return true;
  if (absent.has(name)) return false;
  throw new Error(`command '${name}' is not recorded in test/fixtures/refusals/oracle-host-commands.json`);
}
