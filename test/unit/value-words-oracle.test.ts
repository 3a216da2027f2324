/**
 * The folds of words some releases lack, held to what each release's own manager answered
 * (test/fixtures/value-words: units and the stored answers of the 239, 245, 247 and 249 managers, running
 * figure). A word the release does not know is skipped or the line ignored, as that release does.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { buildUnit } from '../../server/src/model/build';
import { score } from '../../server/src/exposure/score';
import { disagreements, type StoredAnswer } from '../conformance/stored-oracles';

const DIR = join(__dirname, '..', 'fixtures', 'value-words');

for (const file of readdirSync(DIR).filter((f) => f.endsWith('.jsonl.gz'))) {
  const version = Number(/answers-(\d+)m/.exec(file)![1]);
  test(`value words: the engine agrees with the ${version} manager (${file})`, () => {
    const rows = gunzipSync(readFileSync(join(DIR, file)))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as StoredAnswer & { item: string });
    assert.equal(rows.length, readdirSync(DIR).filter((f) => f.endsWith('.service')).length);
    const failures: string[] = [];
    for (const row of rows) {
      const text = readFileSync(join(DIR, row.item), 'utf8');
      const files = [{ path: `/etc/systemd/system/${row.item}`, text }];
      const model = buildUnit(row.item, files, { version, figure: 'running' });
      const d = disagreements(row, score(model, { version }), 'running');
      if (d.length) failures.push(`${row.item}: ${d.slice(0, 3).join('; ')}`);
    }
    assert.deepEqual(failures, []);
  });
}
