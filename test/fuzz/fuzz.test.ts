/** A bounded fuzz run inside `npm test`: random bytes and mutated corpus units. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpusFiles, readBytes } from '../helpers';
import { skipUnless } from '../requirements';
import { checkInput, mutate, randomBytes, rng } from './fuzz';

test('fuzz: random bytes', { timeout: 60_000 }, () => {
  const next = rng(1);
  for (let i = 0; i < 1500; i++) {
    const input = randomBytes(next);
    const failure = checkInput(input);
    assert.equal(failure, null, `input ${Buffer.from(input).toString('base64')}`);
  }
});

test('fuzz: mutated corpus units', { timeout: 60_000, skip: skipUnless('corpus') }, () => {
  const seeds = corpusFiles().filter((f) => f.endsWith('.service') || f.endsWith('.conf'));
  const next = rng(2);
  for (let i = 0; i < 1500; i++) {
    const seed = readBytes(seeds[Math.floor(next() * seeds.length)]!);
    const input = mutate(seed, next);
    const failure = checkInput(input);
    assert.equal(failure, null, `input ${Buffer.from(input).toString('base64')}`);
  }
});

test('fuzz: pathological inputs finish', { timeout: 60_000 }, () => {
  const big = [
    '\\\n'.repeat(100_000),
    '[Service]\nA=' + 'x\\\n'.repeat(50_000),
    '['.repeat(200_000),
    '='.repeat(200_000),
    '\0'.repeat(100_000),
    '\n\r'.repeat(100_000),
    '[Service]\n' + 'CapabilityBoundingSet=~CAP_SYS_ADMIN\n'.repeat(20_000),
    '[Service]\n' + 'SystemCallFilter=@system-service\n'.repeat(2_000),
  ];
  for (const s of big) assert.equal(checkInput(Buffer.from(s, 'utf8')), null);
});

test(
  'fuzz: harden on mutated corpus units never throws, and its exposure_after re-scores equal',
  { timeout: 300_000, skip: skipUnless('corpus') },
  async () => {
    const { decodeBytes, hardenUnit, scoreUnit } = await import('../../server/src/service');
    const { withDropin, withoutHardening } = await import('../../server/src/features/harden-files');
    const seeds = corpusFiles().filter((f) => f.endsWith('.service'));
    const next = rng(3);
    for (let i = 0; i < 120; i++) {
      const bytes = mutate(readBytes(seeds[Math.floor(next() * seeds.length)]!), next);
      const files = [{ path: '/usr/lib/systemd/system/fuzz.service', text: decodeBytes(bytes) }];
      const input = Buffer.from(bytes).toString('base64');
      const r = hardenUnit({ name: 'fuzz.service', files, version: 252 });
      if (r.error || !r.dropin) continue;
      assert.match(r.dropin, /^# Written by systemd-hardening harden/, input);
      const merged = withDropin(withoutHardening(files), r.dropinPath!, r.dropin);
      assert.equal(scoreUnit({ name: 'fuzz.service', files: merged, version: 252 }).exposure, r.exposureAfter, input);
    }
  },
);
