/**
 * The [Service]/[Unit] settings that decide whether systemd accepts a service at all
 * (service_add_extras() + service_verify(), and unit_verify_contexts() from 257): Type=, Restart=,
 * RemainAfterExit=, BusName=, KillMode=, PAMName=, ExitType=, SuccessAction=,
 * RestartForceExitStatus=, and whether credentials are configured.
 */
import { valuesIn } from '../../knowledge/directives';
import type { Assignment, UnitModel, ValueProblem } from '../unit-model';
import { foldBoolean } from './booleans';
import { foldCredentials } from './credentials';
import { type EnumTable, foldEnum } from './enums';
import { unitPrintf, type SpecifierContext } from './specifiers';
import { type Folded, ignoresLine, problemOnValue, targetVersion } from './folded';
import { splitWords } from './words';

function list(model: UnitModel, key: string): readonly Assignment[] {
  return model.settings.get(key) ?? [];
}

export function serviceTypeTable(version: number): EnumTable {
  const words = [
    'simple',
    'forking',
    'oneshot',
    'dbus',
    'notify',
    ...(targetVersion(version) >= 253 ? ['notify-reload'] : []), // 3bd28bf721 (253)
    'idle',
    'exec',
  ];
  return { words, empty: 'error', initial: '' };
}

const restartTable: EnumTable = {
  words: ['no', 'on-success', 'on-failure', 'on-abnormal', 'on-watchdog', 'on-abort', 'always'],
  empty: 'error',
  initial: 'no',
};

const killModeTable: EnumTable = {
  words: ['control-group', 'process', 'mixed', 'none'],
  empty: 'error',
  initial: 'control-group',
};

const exitTypeTable: EnumTable = { words: ['main', 'cgroup'], empty: 'error', initial: 'main' };

/**
 * emergency_action_table[] of that release (server/data/directives.json, from src/core/emergency-action.c):
 * 239 lacks exit and exit-force (54fcb6192c, 240); 254 adds soft-reboot, kexec and halt.
 */
export function emergencyActionTable(version: number): EnumTable {
  return {
    words: valuesIn('SuccessAction', targetVersion(version)).map((w) => w.value),
    empty: 'error',
    initial: 'none',
  };
}

/** sd_bus_service_name_is_valid() for a well-known name. */
export function busNameIsValid(s: string): boolean {
  if (s.length === 0 || s.length > 255) return false;
  if (s.startsWith(':')) return /^:[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/.test(s);
  return /^[A-Za-z_-][A-Za-z0-9_-]*(\.[A-Za-z_-][A-Za-z0-9_-]*)+$/.test(s);
}

export interface ServiceSettings {
  /** '' when Type= is not set (systemd then infers it). */
  type: string;
  restart: string;
  remainAfterExit: boolean;
  busName: string | null;
  killMode: string;
  pamName: string | null;
  exitType: string;
  successAction: string;
  restartForceExitStatus: boolean;
  /** Any LoadCredential*=, SetCredential*= (or ImportCredential=, 254+) in force. */
  hasCredentials: boolean;
  /** Any LoadCredentialEncrypted= / SetCredentialEncrypted= in force. */
  hasEncryptedCredentials: boolean;
}

function lastStringPrintf(
  assignments: readonly Assignment[],
  ctx: SpecifierContext,
  validate?: (s: string) => boolean,
  what = 'value',
): Folded<string | null> {
  let value: string | null = null;
  const problems: ValueProblem[] = [];
  for (const a of assignments) {
    const r = unitPrintf(a.value, ctx);
    if (!r.ok) {
      problems.push(problemOnValue(a, r.message + ignoresLine(a)));
      continue;
    }
    if (r.value === '') {
      value = null;
      continue;
    }
    if (validate && !validate(r.value)) {
      problems.push(problemOnValue(a, `'${r.value}' is not a valid ${what}${ignoresLine(a)}`));
      continue;
    }
    value = r.value;
  }
  return { value, problems };
}

export function foldServiceSettings(model: UnitModel, ctx: SpecifierContext): Folded<ServiceSettings> {
  const problems: ValueProblem[] = [];
  const take = <T>(f: Folded<T>): T => {
    for (const p of f.problems) problems.push(p);
    return f.value;
  };
  const type = take(foldEnum(list(model, 'Service.Type'), serviceTypeTable(ctx.version)));
  const restart = take(foldEnum(list(model, 'Service.Restart'), restartTable));
  const remainAfterExit = take(foldBoolean(list(model, 'Service.RemainAfterExit'), false));
  const busName = take(
    lastStringPrintf(list(model, 'Service.BusName'), ctx, busNameIsValid, 'D-Bus name (such as org.example.Daemon)'),
  );
  const killMode = take(foldEnum(list(model, 'Service.KillMode'), killModeTable));
  const pamName = take(lastStringPrintf(list(model, 'Service.PAMName'), ctx));
  const exitType = take(foldEnum(list(model, 'Service.ExitType'), exitTypeTable));
  const successAction = take(foldEnum(list(model, 'Unit.SuccessAction'), emergencyActionTable(ctx.version)));
  let restartForceExitStatus = false;
  for (const a of list(model, 'Service.RestartForceExitStatus')) {
    if (a.value === '') restartForceExitStatus = false;
    else if (splitWords(a.value).words.length > 0) restartForceExitStatus = true;
  }
  const creds = take(foldCredentials(model.assignments, 'Service', ctx));
  let imported = false;
  if (targetVersion(ctx.version) >= 254)
    for (const a of list(model, 'Service.ImportCredential')) imported = a.value !== '';
  const cred = {
    any: creds.load.length > 0 || creds.set.length > 0 || imported,
    encrypted: [...creds.load, ...creds.set].some((c) => c.encrypted),
  };
  return {
    value: {
      type,
      restart,
      remainAfterExit,
      busName,
      killMode,
      pamName,
      exitType,
      successAction,
      restartForceExitStatus,
      hasCredentials: cred.any,
      hasEncryptedCredentials: cred.encrypted,
    },
    problems,
  };
}
