/**
 * config_parse_bool() (src/shared/conf-parser.c): the last assignment that parses wins; a value
 * parse_boolean() refuses (including the empty string) is logged and skipped, or refuses the whole
 * unit for the settings systemd declares fatal (DynamicUser=).
 */
import type { Assignment } from '../types';
import { BOOLEAN_HINT, notBoolean, parseBoolean } from './boolean';
import { type Folded, problemOnValue, REFUSES, shown } from './types';

export { parseBoolean };

export function foldBoolean(assignments: readonly Assignment[], initial: boolean, options: { fatal?: boolean } = {}): Folded<boolean> {
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
export function foldTristate(assignments: readonly Assignment[], initial: boolean | null = null): Folded<boolean | null> {
  let value: boolean | null = initial;
  const problems = [];
  for (const a of assignments) {
    if (a.value === '') {
      value = null;
      continue;
    }
    const b = parseBoolean(a.value);
    if (b === undefined) {
      problems.push(problemOnValue(a, `${a.key}= takes ${BOOLEAN_HINT} or an empty value; systemd ignores ${shown(a.value)}`));
      continue;
    }
    value = b;
  }
  return { value, problems };
}
