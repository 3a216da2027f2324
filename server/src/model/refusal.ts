/** Why systemd would refuse to load a unit: missing or broken files, fatal settings, and the checks of service_verify() and unit_verify_contexts(). */
import type { UnitModel, ValueProblem } from './unit-model';
import { targetVersion } from './values/folded';
import { emergencyActionTable } from './values/service-settings';
import { cgroupSectionOf, hasExecContext } from './sections';
import { loaderRules, userSuccessAction } from './loader-rules';
import { UNIT_TYPES, unitNameProblem } from './unit-name';
import type { Refusal, SecurityInputOptions, TypedValues } from './security-types';

/** Why systemd would refuse to load the unit, or null. */
export function refusalOf(
  model: UnitModel,
  values: TypedValues,
  problems: readonly ValueProblem[],
  options: SecurityInputOptions = {},
): Refusal | null {
  // systemd-analyze refuses a file whose name is not a unit name: verify_prepare_filename() in
  // src/analyze/analyze-verify-util.c ("Failed to prepare filename ...: Invalid argument"). '' (no name
  // known) and a bare type (a type-wide drop-in folder) are not names given.
  const name =
    model.name === '' || (UNIT_TYPES as readonly string[]).includes(model.name) ? null : unitNameProblem(model.name);
  if (name) {
    const why = name.kind === 'invalid' ? name.reason : `'${name.suffix}' is not a unit type`;
    return { reason: `systemd refuses the unit name '${model.name}': ${why}`, code: 'name' };
  }
  const main = model.files[0];
  if (!main) return { reason: 'no unit file was found for this unit', code: 'masked' };
  if (main.tree.text.length === 0)
    return {
      reason: `the file of ${model.name} is empty, which masks the unit: systemd will not load it`,
      code: 'masked',
    };
  // Only the unit file: a drop-in that fails to parse is read up to the error (see typedValues()).
  const issue = main.tree.issues.find((i) => i.fatal);
  if (issue) return { reason: `${main.path}:${issue.sdLine}: ${issue.message}`, code: 'syntax' };
  const fatal = problems.find((p) => p.effect === 'fatal');
  if (fatal) {
    return {
      reason: `${fatal.assignment.file.path}:${fatal.assignment.entry.sdLine}: ${fatal.message}`,
      code: 'fatal-setting',
      problem: fatal,
    };
  }
  if (model.type === 'service' || model.type === null) {
    const s = values.service;
    const v = targetVersion(model.version);
    const start = values.exec.ExecStart;
    const stop = values.exec.ExecStop;
    const rules = loaderRules(model.version);
    // 239 does not count SuccessAction= as a reason to go without commands (from 240: 3f00d379fa).
    // The user manager keeps only the actions it can take (loader-rules.ts).
    const successAction =
      model.scope === 'user' && s.successAction !== 'none'
        ? userSuccessAction(
            (model.settings.get('Unit.SuccessAction') ?? []).map((a) => a.value),
            (w) => w !== '' && emergencyActionTable(model.version).words.includes(w),
            model.version,
          )
        : s.successAction;
    const hasSuccessAction = successAction !== 'none' && !rules.successActionOnlyService;
    let type = s.type;
    if (type === '')
      type = s.busName ? 'dbus' : start.length ? 'simple' : v >= 257 && s.hasCredentials ? 'exec' : 'oneshot';
    const refuse = (reason: string): Refusal => ({ reason: `${model.name}: ${reason}`, code: 'service-verify' });
    if (!start.length && !stop.length && !hasSuccessAction) {
      return refuse(
        rules.successActionOnlyService
          ? 'the service has neither ExecStart= nor ExecStop=, so this systemd refuses to load it (SuccessAction= is not enough before systemd 240)'
          : 'the service has no ExecStart=, ExecStop= or SuccessAction=, so systemd refuses to load it',
      );
    }
    if (type !== 'oneshot' && !start.length)
      return refuse('only Type=oneshot services may go without ExecStart=; systemd refuses to load this one');
    if (!s.remainAfterExit && !start.length && !hasSuccessAction) {
      return refuse(
        'without ExecStart= or SuccessAction=, a service needs RemainAfterExit=yes; systemd refuses to load this one',
      );
    }
    if (type !== 'oneshot' && start.length > 1)
      return refuse('only Type=oneshot services may have several ExecStart= lines; systemd refuses to load this one');
    if (type === 'oneshot' && (s.restart === 'always' || s.restart === 'on-success')) {
      return refuse(
        'Restart=always and Restart=on-success do not go with Type=oneshot; systemd refuses to load the unit',
      );
    }
    if (type === 'oneshot' && s.restart !== 'no' && rules.oneshotRestartNotNo)
      return refuse(
        'Type=oneshot services may not restart before systemd 244 (Restart= other than no); systemd refuses to load the unit',
      );
    if (type === 'oneshot' && s.restartForceExitStatus && v < 257) {
      return refuse('RestartForceExitStatus= does not go with Type=oneshot; systemd refuses to load the unit');
    }
    if (type === 'oneshot' && s.exitType === 'cgroup')
      return refuse('ExitType=cgroup does not go with Type=oneshot; systemd refuses to load the unit');
    if (type === 'dbus' && !s.busName) return refuse('Type=dbus needs BusName=; systemd refuses to load the unit');
    if (s.pamName && s.killMode !== 'control-group' && s.killMode !== 'mixed') {
      return refuse('with PAMName= set, KillMode= must be control-group or mixed; systemd refuses to load the unit');
    }
  }
  // 256+ (52d8ba71b6): the user manager has no dynamic users.
  if (
    model.scope === 'user' &&
    hasExecContext(model.type) &&
    values.dynamicUser &&
    loaderRules(model.version).dynamicUserInUserUnit
  )
    return {
      reason: `${model.name}: DynamicUser= enabled for user unit, which is not supported; systemd refuses to load the unit`,
      code: 'service-verify',
    };
  const verify = verifyContexts(model, values);
  if (verify) return verify;
  if (
    options.cgroupMaskUnavailable &&
    targetVersion(model.version) >= 262 &&
    values.defaultDependencies &&
    hasExecContext(model.type)
  ) {
    const sec = cgroupSectionOf(model.type);
    const kills =
      ['ManagedOOMSwap', 'ManagedOOMMemoryPressure'].some((k) => {
        let v = 'auto';
        for (const a of model.settings.get(`${sec}.${k}`) ?? [])
          if (['', 'auto', 'kill'].includes(a.value)) v = a.value || 'auto';
        return v === 'kill';
      }) || (model.settings.get(`${sec}.OOMRules`) ?? []).reduce((_live: boolean, a) => a.value !== '', false);
    if (kills) {
      return {
        reason: `${model.name} would not load on the oracle's host: systemd could not read the cgroup controllers it needs for the systemd-oomd dependency`,
        code: 'environment',
      };
    }
  }
  return null;
}

/** unit_verify_contexts() (257+): combinations of exec settings systemd refuses. */
function verifyContexts(model: UnitModel, values: TypedValues): Refusal | null {
  const v = targetVersion(model.version);
  if (v < 257 || !hasExecContext(model.type)) return null;
  const refuse = (reason: string): Refusal => ({ reason: `${model.name}: ${reason}`, code: 'service-verify' });
  if (values.dynamicUser && values.workingDirectoryHome)
    return refuse('WorkingDirectory=~ does not go with DynamicUser=yes; systemd refuses to load the unit');
  if (v >= 262) {
    const pamName = model.type === 'service' || model.type === null ? values.service.pamName : null;
    if (
      (values.user !== null || values.dynamicUser || values.group !== null || pamName !== null) &&
      values.privateUsers === 'managed'
    ) {
      return refuse(
        'PrivateUsers=managed does not go with User=, DynamicUser=, Group= or PAMName=; systemd refuses to load the unit',
      );
    }
    if (values.userNamespacePath !== null && values.privateUsers !== 'no')
      return refuse('PrivateUsers= does not go with UserNamespacePath=; systemd refuses to load the unit');
    if (values.privatePIDs && pamName !== null)
      return refuse('PAMName= does not go with PrivatePIDs=; systemd refuses to load the unit');
  }
  return null;
}
