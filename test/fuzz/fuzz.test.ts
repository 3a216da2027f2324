/** A bounded fuzz run inside `npm test`: random bytes and mutated corpus units. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpusFiles, readBytes } from '../helpers';
import { checkInput, mutate, randomBytes, rng } from './fuzz';

test('fuzz: random bytes', { timeout: 60_000 }, () => {
  const next = rng(1);
  for (let i = 0; i < 1500; i++) {
    const input = randomBytes(next);
    const failure = checkInput(input);
    assert.equal(failure, null, `input ${Buffer.from(input).toString('base64')}`);
  }
});

test('fuzz: mutated corpus units', { timeout: 60_000 }, () => {
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
