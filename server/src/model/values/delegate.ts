/**
 * Delegate= (config_parse_delegate): a boolean, or a list of cgroup controllers (which turns
 * delegation on and adds those controllers). The empty value also turns delegation on (with no
 * controllers). Only services and scopes can delegate; elsewhere the line is ignored with a warning.
 */
import { valuesIn } from '../../knowledge/directives';
import type { Assignment } from '../unit-model';
import { parseBoolean } from './booleans';
import { BAD_QUOTING, type Folded, ignoresLine, problemAt, problemOnValue, targetVersion } from './folded';
import { EXTRACT_UNQUOTE, splitWords } from './words';

export interface DelegateValue {
  enabled: boolean;
  /** Controllers named explicitly (null after `yes`: all delegatable ones). */
  controllers: string[] | null;
}

/**
 * cgroup_controller_table[] of that release (server/data/directives.json): v239-50 has cpuset (backported),
 * 240–243 do not; bpf-firewall and bpf-devices from 240, bpf-foreign and bpf-socket-bind from 249, …
 */
export function cgroupControllers(version: number): readonly string[] {
  return valuesIn('Delegate', targetVersion(version)).map((w) => w.value);
}

export function foldDelegate(
  assignments: readonly Assignment[],
  version: number,
  unitType: string | null,
  from?: DelegateValue,
): Folded<DelegateValue> {
  let value: DelegateValue = from ?? { enabled: false, controllers: [] };
  const problems = [];
  const known = cgroupControllers(version);
  for (const a of assignments) {
    if (unitType !== null && unitType !== 'service' && unitType !== 'scope') {
      problems.push(problemOnValue(a, 'Only services and scopes can delegate; systemd ignores Delegate= here'));
      continue;
    }
    if (a.value === '') {
      value = { enabled: true, controllers: [] };
      continue;
    }
    const b = parseBoolean(a.value);
    if (b === true) {
      value = { enabled: true, controllers: null };
      continue;
    }
    if (b === false) {
      value = { enabled: false, controllers: [] };
      continue;
    }
    const split = splitWords(a.value, EXTRACT_UNQUOTE);
    if (split.error) {
      problems.push(problemAt(a, split.error.start, a.value.length, BAD_QUOTING + ignoresLine(a)));
      continue;
    }
    const add: string[] = [];
    for (const w of split.words) {
      if (!known.includes(w.word)) {
        problems.push(
          problemAt(
            a,
            w.start,
            w.end,
            `'${w.word}' is not a cgroup controller name (such as cpu, io, memory or pids); systemd skips it`,
          ),
        );
        continue;
      }
      add.push(w.word);
    }
    const prev = value.controllers ?? [];
    value = {
      enabled: true,
      controllers: value.controllers === null && value.enabled ? null : [...new Set([...prev, ...add])],
    };
  }
  return { value, problems };
}
