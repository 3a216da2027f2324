/**
 * The numbers of `systemd-analyze security` (assess() in src/analyze/analyze-security.c), all in
 * unsigned 64-bit integer arithmetic:
 *   badness_sum += ceil(badness × weight / range)     weight_sum += weight   (n/a checks skipped)
 *   exposure     = ceil(badness_sum × 100 / weight_sum)          0..100, printed as e/10 "." e%10
 *   row exposure = ceil(ceil(badness × weight × 100 / range) / weight_sum)
 * Row values do not add up to the total.
 */

export const BANDS = [
  { min: 100, name: 'DANGEROUS' },
  { min: 90, name: 'UNSAFE' },
  { min: 75, name: 'EXPOSED' },
  { min: 50, name: 'MEDIUM' },
  { min: 10, name: 'OK' },
  { min: 1, name: 'SAFE' },
  { min: 0, name: 'PERFECT' },
] as const;

export type Band = (typeof BANDS)[number]['name'];

export function divRoundUp(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** ceil(b·w/r): a check's share of the badness sum. */
export function weightedBadness(badness: number, weight: number, range: number): bigint {
  return divRoundUp(BigInt(badness) * BigInt(weight), BigInt(range));
}

/** The tenths value of one row (null when badness is 0 or n/a, as systemd leaves the cell empty). */
export function rowExposure(badness: number | null, weight: number, range: number, weightSum: bigint): number | null {
  if (badness === null || badness === 0) return null;
  return Number(divRoundUp(divRoundUp(BigInt(badness) * BigInt(weight) * 100n, BigInt(range)), weightSum));
}

export function overallExposure(badnessSum: bigint, weightSum: bigint): number {
  return Number(divRoundUp(badnessSum * 100n, weightSum));
}

/** `9.6` from 96. */
const TENTHS = Array.from({ length: 101 }, (_, e) => `${Math.floor(e / 10)}.${e % 10}`);

export function formatTenths(e: number): string {
  return TENTHS[e] ?? `${Math.floor(e / 10)}.${e % 10}`;
}

/** An exposure as results hold it, tenths and text; shared per value (frozen), as suggestions repeat a few values many times. */
export interface Exposure {
  readonly tenths: number;
  readonly text: string;
}

const EXPOSURES: readonly Exposure[] = TENTHS.map((text, tenths) => Object.freeze({ tenths, text }));

export function exposureOf(tenths: number): Exposure {
  return EXPOSURES[tenths] ?? { tenths, text: formatTenths(tenths) };
}

export function bandOf(exposure: number): Band {
  for (const b of BANDS) if (exposure >= b.min) return b.name;
  return 'PERFECT';
}

/**
 * The same arithmetic in doubles, for check tables where it is exact (fitsInDoubles()): every
 * intermediate value stays below 2^53 when badness is at most 10, weights and ranges at most 2^32 and
 * there are fewer than 1,000 checks; Math.floor(x / y) is exact for integers x, y < 2^53. score()
 * uses it for the tables of systemd's own weights (BigInt arithmetic made score() about 20% slower).
 */
const MAX_DOUBLE_OPERAND = 2 ** 32;

/** Whether checks of these weights and ranges (badness at most `maxBadness`) sum exactly in doubles. */
export function fitsInDoubles(checks: ReadonlyArray<{ weight: number; range: number; maxBadness: number }>): boolean {
  return (
    checks.length < 1000 &&
    checks.every((c) => c.weight <= MAX_DOUBLE_OPERAND && c.range <= MAX_DOUBLE_OPERAND && c.maxBadness <= 10)
  );
}

export function weightedBadnessInDoubles(badness: number, weight: number, range: number): number {
  return Math.floor((badness * weight + range - 1) / range);
}

export function rowExposureInDoubles(
  badness: number | null,
  weight: number,
  range: number,
  weightSum: number,
): number | null {
  if (badness === null || badness === 0) return null;
  const x = Math.floor((badness * weight * 100 + range - 1) / range);
  return Math.floor((x + weightSum - 1) / weightSum);
}

export function overallExposureInDoubles(badnessSum: number, weightSum: number): number {
  return Math.floor((badnessSum * 100 + weightSum - 1) / weightSum);
}
