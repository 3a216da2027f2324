/**
 * UMask= (config_parse_mode): an octal mode up to 07777, no sign. The default is 0022; a bad value
 * is logged and ignored.
 */
import type { Assignment } from '../unit-model';
import { parseMode } from './numbers';
import { type Folded, problemOnValue, shown } from './folded';

export const DEFAULT_UMASK = 0o022;

export function foldUMask(assignments: readonly Assignment[], from: number = DEFAULT_UMASK): Folded<number> {
  let value = from;
  const problems = [];
  for (const a of assignments) {
    const m = parseMode(a.value);
    if (m === null) {
      problems.push(
        problemOnValue(a, `${a.key}= takes an octal mode from 0000 to 7777; systemd ignores ${shown(a.value)}`),
      );
      continue;
    }
    value = m;
  }
  return { value, problems };
}
