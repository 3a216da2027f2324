/** `npm run fuzz`: a long fuzz run. FUZZ_SECONDS (default 300) and FUZZ_SEED choose its length and seed. */
import { corpusFiles, readBytes } from '../helpers';
import { checkInput, mutate, randomBytes, rng } from './fuzz';

const seconds = Number(process.env.FUZZ_SECONDS ?? 300);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const next = rng(seed);
const seeds = corpusFiles().map(readBytes);
const end = Date.now() + seconds * 1000;
let n = 0;
while (Date.now() < end) {
  const input = next() < 0.3 ? randomBytes(next) : mutate(seeds[Math.floor(next() * seeds.length)]!, next);
  const failure = checkInput(input);
  n++;
  if (failure) {
    process.stderr.write(
      `seed ${seed}, input #${n}: ${failure}\ninput (base64): ${Buffer.from(input).toString('base64')}\n`,
    );
    process.exit(1);
  }
}
process.stdout.write(`fuzz: ${n} inputs in ${seconds} s (seed ${seed}), no failure\n`);
