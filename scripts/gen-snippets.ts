/** Writes snippets/systemd-unit.json from server/data/profiles.json (`npm run gen:snippets`). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snippetsJson } from '../server/src/features/profiles';

writeFileSync(join(__dirname, '..', 'snippets', 'systemd-unit.json'), snippetsJson());
