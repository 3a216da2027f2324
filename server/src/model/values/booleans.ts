/**
 * Boolean settings: systemd's parse_boolean() for one word, and the folds of repeated assignments
 * done by config_parse_bool() and config_parse_tristate() (src/shared/conf-parser.c).
 */
import type { Assignment } from '../unit-model';
import { type Folded, problemOnValue, REFUSES, shown } from './folded';

/** parse_boolean(): the words it accepts, compared case-insensitively. */
const TRUE_WORDS = new Set(['1', 'yes', 'y', 'true', 't', 'on']);
const FALSE_WORDS = new Set(['0', 'no', 'n', 'false', 'f', 'off']);

/** true or false for a word systemd accepts as a boolean, undefined otherwise. */
export function parseBoolean(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return undefined;
}

/** The boolean spellings our messages name (parse_boolean() also takes y/n, t/f, in any case). */
export const BOOLEAN_HINT = 'a boolean (yes/no, true/false, on/off, 1/0)';

/** The message for a value parse_boolean() refuses, where systemd ignores the assignment. */
export function notBoolean(key: string, value: string): string {
  return `${key}= takes ${BOOLEAN_HINT}; systemd ignores ${shown(value)}`;
}

/**
 * config_parse_bool(): the last assignment that parses wins; a value parse_boolean() refuses
 * (including the empty string) is logged and skipped, or refuses the whole unit for the settings
 * systemd declares fatal (DynamicUser=).
 */
export function foldBoolean(
  assignments: readonly Assignment[],
  initial: boolean,
  options: { fatal?: boolean } = {},
): Folded<boolean> {
  let value = initial;
  const problems = [];
  for (const a of assignments) {
    const b = parseBoolean(a.value);
    if (b === undefined) {
      problems.push(
        options.fatal
          ? problemOnValue(a, `${a.key}= takes ${BOOLEAN_HINT}, not ${shown(a.value)}${REFUSES}`, 'fatal')
          : problemOnValue(a, notBoolean(a.key, a.value)),
      );
      if (options.fatal) break;
      continue;
    }
    value = b;
  }
  return { value, problems };
}

/**
 * config_parse_tristate() (PrivateMounts= from 254): like a boolean, but the empty string sets
 * "unset" (null).
 */
export function foldTristate(
  assignments: readonly Assignment[],
  initial: boolean | null = null,
): Folded<boolean | null> {
  let value: boolean | null = initial;
  const problems = [];
  for (const a of assignments) {
    if (a.value === '') {
      value = null;
      continue;
    }
    const b = parseBoolean(a.value);
    if (b === undefined) {
      problems.push(
        problemOnValue(a, `${a.key}= takes ${BOOLEAN_HINT} or an empty value; systemd ignores ${shown(a.value)}`),
      );
      continue;
    }
    value = b;
  }
  return { value, problems };
}
