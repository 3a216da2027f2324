/** Every file of the shared corpus parses and prints back byte for byte. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBytes, encodeText } from '../../server/src/syntax/bytes';
import { parseUnitFile, printTree } from '../../server/src/syntax/parser';
import { corpusFiles, readBytes } from '../helpers';
import { skipUnless } from '../requirements';

test('corpus: lossless round trip of every unit and drop-in', { skip: skipUnless('corpus') }, () => {
  const files = corpusFiles();
  assert.ok(files.length > 500, `corpus has ${files.length} files`);
  const failures: string[] = [];
  for (const f of files) {
    const bytes = readBytes(f);
    const tree = parseUnitFile(decodeBytes(bytes));
    if (!Buffer.from(encodeText(printTree(tree))).equals(bytes)) failures.push(f);
    let covered = 0;
    for (const n of tree.nodes) {
      if (n.span.start !== covered) failures.push(`${f}: gap at ${covered}`);
      covered = n.span.end;
    }
    if (covered !== tree.text.length) failures.push(`${f}: nodes end at ${covered} of ${tree.text.length}`);
  }
  assert.deepEqual(failures, []);
});
