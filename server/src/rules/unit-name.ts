/**
 * The unit's name: systemd loads a unit file only when its name is a valid unit name of a known type.
 * A file with any other name is skipped on the unit search path (src/basic/unit-file.c,
 * unit_file_build_name_map(): "Accept a regular file whose name is a valid unit file name"), so its
 * sections and settings mean nothing to systemd: such a file gets one diagnostic on its first line
 * saying why, and only the syntax checks (see runRules()).
 */
import { UNIT_TYPES, unitNameProblem } from '../model/unit-name';
import type { LoadedFile, UnitModel } from '../model/unit-model';
import { closestName } from './did-you-mean';
import type { Diagnostic, Severity } from './diagnostic';

/** Files of these types are not units; systemd's own tools or others read them. */
const OTHER_FORMATS: Record<string, string> = {
  '.container': "Podman's quadlet files are turned into units by a generator",
  '.volume': "Podman's quadlet files are turned into units by a generator",
  '.pod': "Podman's quadlet files are turned into units by a generator",
  '.kube': "Podman's quadlet files are turned into units by a generator",
  '.image': "Podman's quadlet files are turned into units by a generator",
  '.build': "Podman's quadlet files are turned into units by a generator",
  '.network':
    "systemd-networkd reads .network files, and Podman's quadlet turns its .network files into units by a generator",
  '.netdev': 'systemd-networkd reads .netdev files',
  '.link': 'systemd-udevd reads .link files',
  '.nspawn': 'systemd-nspawn reads .nspawn files',
  '.conf': "a drop-in belongs in a folder named after its unit, such as 'nginx.service.d/'",
};

/** A name too long to quote whole is cut in the middle. */
function quoted(name: string): string {
  return name.length <= 80 ? `'${name}'` : `'${name.slice(0, 40)}…${name.slice(-30)}'`;
}

export interface NameFinding {
  code: 'invalid-unit-name' | 'unknown-unit-type';
  severity: Severity;
  message: string;
}

/**
 * What is wrong with the unit's name, or null. An empty name means the adapter knows none (an untitled
 * editor): the text is then checked as a service. A bare type (`service`, from a type-wide drop-in
 * folder `service.d/`) is not a unit name either, but its drop-ins are real: no finding.
 */
export function unitNameFinding(name: string): NameFinding | null {
  if (name === '' || (UNIT_TYPES as readonly string[]).includes(name)) return null;
  const problem = unitNameProblem(name);
  if (!problem) return null;
  if (problem.kind === 'invalid') {
    return {
      code: 'invalid-unit-name',
      severity: 'error',
      message: `systemd refuses the unit name ${quoted(name)}: ${problem.reason}. It does not load a file of this name, so only syntax is checked.`,
    };
  }
  const suffix = problem.suffix;
  const other = OTHER_FORMATS[suffix];
  if (other)
    return {
      code: 'unknown-unit-type',
      severity: 'information',
      message: `'${suffix}' is not a systemd unit type (${other}); only syntax is checked.`,
    };
  const guess = closestName(suffix.slice(1), UNIT_TYPES);
  const hint = guess
    ? `Did you mean '.${guess}'?`
    : `systemd's unit types are ${UNIT_TYPES.map((t) => `.${t}`).join(', ')}.`;
  return {
    code: 'unknown-unit-type',
    severity: 'warning',
    message: `'${suffix}' is not a systemd unit type, so systemd does not load this file; only syntax is checked. ${hint}`,
  };
}

/** Whether the unit's name keeps systemd from loading it: then only syntax is checked. */
export function onlySyntaxChecked(model: UnitModel): boolean {
  return unitNameFinding(model.name) !== null;
}

/** The finding about the unit's name, on the first line of the file. */
export function unitNameDiagnostics(model: UnitModel, file: LoadedFile): Diagnostic[] {
  const finding = unitNameFinding(model.name);
  if (!finding) return [];
  const text = file.tree.text;
  let end = 0;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return [{ ...finding, file: file.path, span: { start: 0, end } }];
}
