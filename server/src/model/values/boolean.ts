/** systemd's parse_boolean(): the words it accepts, compared case-insensitively. */
import { shown } from './types';

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
