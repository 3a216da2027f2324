/**
 * SystemCallArchitectures= and SystemCallFilter=: the call names the analyser sees (by figure: the running
 * figure of some releases sees an entry with its own errno as `name:errno`), memoised per filter.
 */
import { analysedNames, type SyscallFilter } from '../values/syscalls';
import type { Derivation } from './environment';

const analysedNamesOf = new WeakMap<SyscallFilter, Set<string>>();
/** The same, for the running figure of a release whose manager exports `name:errno` (runningFilterErrnoSuffix). */
const namedCallsOf = new WeakMap<SyscallFilter, Set<string>>();
const NO_NAMES: Set<string> = new Set();

export const systemCallArchitectures: Derivation = {
  reads: ['systemCallArchitectures'],
  writes: ['systemCallArchitectures'],
  run: (out, values, env) => {
    out.systemCallArchitectures = env.hasExec ? values.systemCallArchitectures : [];
  },
};

export const systemCallFilter: Derivation = {
  readsFigure: true,
  reads: ['systemCallFilter'],
  writes: ['systemCallFilterAllowList', 'systemCallFilter'],
  run: (out, values, env) => {
    const filter = values.systemCallFilter;
    let names = NO_NAMES;
    if (env.hasExec) {
      const suffixed = env.rules.filterErrnoSuffix;
      const memo = suffixed ? namedCallsOf : analysedNamesOf;
      const n = memo.get(filter);
      if (n) names = n;
      else memo.set(filter, (names = analysedNames(filter, suffixed)));
    }
    out.systemCallFilterAllowList = env.hasExec && filter.mode === 'allow';
    out.systemCallFilter = names;
  },
};
