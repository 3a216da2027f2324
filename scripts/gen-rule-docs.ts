/** Writes docs/rules.md from the rule catalog (`node --import tsx scripts/gen-rule-docs.ts`). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rulesMarkdown } from '../server/src/rules/catalog';

writeFileSync(join(__dirname, '..', 'docs', 'rules.md'), rulesMarkdown());
