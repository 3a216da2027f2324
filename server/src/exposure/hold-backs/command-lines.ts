/** The raw values of a unit's settings and the programs its command lines run, as the hold-backs read them. */
import type { UnitModel } from '../../model/unit-model';

/** The values of every assignment of `section`.`key`, in order (empty assignments included). */
export function settingValues(model: UnitModel, section: string, key: string): string[] {
  return (model.settings.get(`${section}.${key}`) ?? []).map((a) => a.value);
}

/** The commands that start the service. */
const START_KEYS = ['Service.ExecStart', 'Service.ExecStartPre', 'Service.ExecStartPost'];
/** Every command line RestrictNamespaces= applies to. */
export const ALL_COMMAND_KEYS = [
  ...START_KEYS,
  'Service.ExecCondition',
  'Service.ExecReload',
  'Service.ExecStop',
  'Service.ExecStopPost',
];

/** The first word of each command line, after its prefix characters (- @ : + ! |). */
export function execBinaries(model: UnitModel, keys: readonly string[] = START_KEYS): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const list = model.settings.get(k);
    if (list === undefined) continue;
    for (const a of list) {
      const v = a.value;
      let i = 0;
      while (i < v.length && '-@:+!|'.includes(v[i]!)) i++;
      while (i < v.length && /\s/.test(v[i]!)) i++;
      let j = i;
      while (j < v.length && !/\s/.test(v[j]!)) j++;
      if (j > i) out.push(v.slice(i, j));
    }
  }
  return out;
}

/** The program of one command line: its first word after the prefix characters. */
export function firstWord(command: string): string | undefined {
  let i = 0;
  while (i < command.length && '-@:+!|'.includes(command[i]!)) i++;
  const m = /^\s*(\S+)/.exec(command.slice(i));
  return m ? m[1] : undefined;
}

/** The start commands' lines, one per line. */
export function startCommandsText(model: UnitModel): string {
  return ['ExecStart', 'ExecStartPre', 'ExecStartPost'].flatMap((k) => settingValues(model, 'Service', k)).join('\n');
}
