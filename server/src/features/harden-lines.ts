/**
 * The recommended drop-in's first lines (features/harden.ts), before refine() drops the ones that harm
 * the service: a profile's lines for the version, or the safe set of suggestions; then without the lines
 * the unit speaks against (vouched()) and the settings no check reads that the unit already has
 * (notAlreadySet()).
 */
import type { UnitModel } from '../model/unit-model';
import { lastAssignment } from '../model/build';
import { breakageChecker, cutLines } from '../exposure/breakage';
import { assessorsFor, suggest, type Policy } from '../exposure';
import { directivesOfCheck } from '../rules/sandbox';
import { availabilityNote } from '../rules/directives';
import { lineUnavailable } from '../knowledge/word-availability';
import { PLACEHOLDER, withDefaults, type LeftOpen, type ServiceProfile } from '../knowledge/service-profiles';
import { groupSafeLines, lineText, type Line } from './harden-text';

/** Path-list settings whose entries the unit may already have one by one. */
const PATH_LISTS = new Set(['ReadWritePaths', 'ReadOnlyPaths', 'InaccessiblePaths', 'ExecPaths', 'NoExecPaths']);

function normPath(p: string): string {
  let s = p.replace(/^[-+]+/, '');
  if (s.length > 1) s = s.replace(/\/+$/, '');
  return s.startsWith('/var/run/') || s === '/var/run' ? s.slice(4) : s;
}

function splitLine(line: string, group: number): Line {
  const eq = line.indexOf('=');
  return { key: line.slice(0, eq), value: line.slice(eq + 1), group };
}

/**
 * A profile's lines for the version. Left open instead: a line whose value only the administrator can
 * choose, and a line the version does not take (ProtectProc= before 247, PrivateTmp=disconnected before
 * 257), with the version that has it.
 */
export function profileLines(
  profile: ServiceProfile,
  version: number,
  leftOpen: LeftOpen[],
): { comments: string[]; lines: Line[] } {
  const lines: Line[] = [];
  for (const l of profile.leftOpen) leftOpen.push({ setting: l.setting, why: l.why });
  profile.groups.forEach((g, i) => {
    for (const l of g.lines) {
      const unavailable = lineUnavailable('Service', withDefaults(l), version);
      if (unavailable) {
        const line = withDefaults(l);
        const note = availabilityNote(unavailable, version).trim();
        leftOpen.push({ setting: line, why: `systemd ${version} does not take it${note ? `: ${note}` : ''}` });
        continue;
      }
      if (l.search(PLACEHOLDER) >= 0) {
        PLACEHOLDER.lastIndex = 0;
        leftOpen.push({
          setting: withDefaults(l),
          why: `its value depends on the service (${withDefaults(l)} is only an example): add it yourself`,
        });
        continue;
      }
      lines.push(splitLine(l, i));
    }
  });
  return { comments: profile.groups.map((g) => g.comment), lines };
}

/** Without a profile: the safe set of suggestions; the fixes held back are listed as left open. */
export function safeLines(
  model: UnitModel,
  version: number,
  policy: Policy | undefined,
  leftOpen: LeftOpen[],
): { comments: string[]; lines: Line[] } {
  const s = suggest(model, { version, policy });
  for (const a of s.avoided ?? []) leftOpen.push({ setting: a.lines.join(' '), why: a.reason });
  const namespaces = assessorsFor(version).filter((a) => a.id.startsWith('RestrictNamespaces=~')).length;
  return groupSafeLines(s.safeSet?.lines ?? [], namespaces);
}

const ON = /^(yes|true|on|1|strict|full|invisible)$/i;
const OFF = /^(no|false|off|0)$/i;

/**
 * Lines the unit itself speaks against. A service profile was written (and booted) for its service, so
 * only a setting the unit turns off on purpose (mariadb's PrivateTmp=false) is kept off. A generic kind
 * only knows what kind of service it is: its lines must also pass what the safe set is held to
 * (exposure/breakage.ts: no PrivateNetwork= for a network user, no MemoryDenyWriteExecute= for a JIT, ...).
 */
export function vouched(
  model: UnitModel,
  profile: ServiceProfile | null,
  lines: readonly Line[],
  leftOpen: LeftOpen[],
): Line[] {
  const check = profile?.kind === 'generic' ? breakageChecker(model) : null;
  const out: Line[] = [];
  for (const l of lines) {
    const unitValue = lastAssignment(model, 'Service', l.key)?.value.trim() ?? '';
    let why: string | null = null;
    if (ON.test(l.value) && OFF.test(unitValue)) why = `the unit sets ${l.key}=${unitValue} on purpose`;
    else if (check) why = check(cutLines([lineText(l)]));
    if (why) leftOpen.push({ setting: lineText(l), why });
    else out.push(l);
  }
  return out;
}

/** Directive names some check of the version reads. */
export function checkKeys(version: number): Set<string> {
  const out = new Set<string>();
  for (const a of assessorsFor(version)) for (const d of directivesOfCheck(a.id)) out.add(d);
  return out;
}

/**
 * Lines of settings no check reads that the unit already has: the same value, or for a path list the
 * same paths (each path the unit already lists is left out of the line).
 */
export function notAlreadySet(model: UnitModel, lines: readonly Line[]): Line[] {
  const out: Line[] = [];
  const checked = checkKeys(model.version);
  for (const l of lines) {
    if (checked.has(l.key)) {
      out.push(l);
      continue;
    }
    const have = (model.settings.get(`Service.${l.key}`) ?? []).map((a) => a.value.trim());
    if (l.key === 'ReadWritePaths')
      for (const a of model.settings.get('Service.ReadWriteDirectories') ?? []) have.push(a.value.trim());
    if (PATH_LISTS.has(l.key)) {
      const known = new Set(have.flatMap((v) => v.split(/\s+/)).map(normPath));
      const rest = l.value.split(/\s+/).filter((p) => p && !known.has(normPath(p)));
      if (rest.length) out.push({ ...l, value: rest.join(' ') });
      continue;
    }
    if (have.length && have[have.length - 1] === l.value.trim()) continue;
    out.push(l);
  }
  return out;
}
