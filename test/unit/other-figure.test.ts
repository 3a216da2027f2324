/**
 * features/figures.ts otherFigure(): the exposure in the release's other figure, worked out from the
 * score already made (no second fold), equals scoring a model built for that figure, on every corpus
 * service at every target version with two figures, both ways.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { score } from '../../server/src/exposure/score';
import { otherFigure } from '../../server/src/features/figures';
import { figuresOf, type Figure } from '../../server/src/knowledge/figures';
import { buildUnit } from '../../server/src/model/build';
import { decodeBytes, SUPPORTED_VERSIONS } from '../../server/src/service';
import { corpusFiles, readBytes } from '../helpers';
import { skipUnless } from '../requirements';

test(
  'otherFigure() equals a model built for the other figure, on the corpus, for every version with both figures',
  { skip: skipUnless('corpus') },
  () => {
    const units = corpusFiles()
      .filter((f) => f.endsWith('.service'))
      .map((f) => ({ name: f.slice(f.lastIndexOf('/') + 1), files: [{ path: f, text: decodeBytes(readBytes(f)) }] }));
    let differ = 0;
    let compared = 0;
    const wrong: string[] = [];
    for (const version of SUPPORTED_VERSIONS) {
      const figures = figuresOf(version);
      if (figures.length < 2) continue;
      for (const u of units)
        for (const figure of figures) {
          const other = figures.find((f) => f !== figure) as Figure;
          const own = score(buildUnit(u.name, u.files, { version, figure }), { version });
          const model = buildUnit(u.name, u.files, { version, figure });
          const got = otherFigure(model, score(model, { version }));
          const full = score(buildUnit(u.name, u.files, { version, figure: other }), { version });
          compared++;
          const want = full.exposure && own.exposure && full.exposure.tenths !== own.exposure.tenths ? full : null;
          if (want) differ++;
          const gotText = got ? `${got.figure} ${got.exposure.toFixed(1)} ${got.band}` : 'null';
          const wantText = want ? `${other} ${want.exposure!.text} ${want.band}` : 'null';
          if (gotText !== wantText) wrong.push(`${version} ${figure} ${u.name}: ${gotText}, want ${wantText}`);
        }
    }
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} of ${compared} wrong`);
    assert.ok(differ > 100, `${differ} of ${compared} differ`);
  },
);

test('otherFigure() says why: the settings that imply the mount namespace, or the unset PrivateMounts= that 254 counts', () => {
  const at = (version: number, lines: string[]): string | null => {
    const text = ['[Service]', 'ExecStart=/usr/bin/true', ...lines, ''].join('\n');
    const model = buildUnit('why.service', [{ path: '/etc/systemd/system/why.service', text }], { version });
    return otherFigure(model, score(model, { version }))?.why ?? null;
  };
  assert.match(
    at(252, ['PrivateTmp=yes', 'ProtectSystem=full'])!,
    /PrivateTmp=yes, ProtectSystem=full give the service a mount namespace/,
  );
  assert.match(at(254, [])!, /counts an unset PrivateMounts= as set/);
  assert.match(at(254, [])!, /nothing gives the service a mount namespace/);
  assert.match(
    at(252, ['IPAddressDeny=any', 'IPAddressAllow=127.0.0.1'])!,
    /only 127\.0\.0\.0\/8 and ::1\/128 count as localhost/,
  );
  assert.equal(at(252, ['IPAddressDeny=any', 'IPAddressAllow=localhost']), null);
  assert.equal(at(252, []), null);
  assert.equal(at(252, ['PrivateMounts=yes', 'PrivateTmp=yes']), null);
});
