/**
 * Which profile `harden` starts from: the one asked for (--profile), else the profile of the known
 * service the unit runs (by unit name or ExecStart= program, as the breaks-* rules find it), else a
 * generic kind when the unit's own settings clearly say what it is, else none (the safe set only).
 */
import { lastAssignment } from '../model/build';
import type { UnitModel } from '../model/unit-model';
import { typedValues } from '../model/security-inputs';
import { serviceNeedsFor } from '../knowledge/service-needs';
import { profileById, profileForNeeds, SERVICE_PROFILES, type ServiceProfile } from '../knowledge/service-profiles';

export interface Selection {
  profile: ServiceProfile | null;
  /** Why it was chosen, in words (for the drop-in's first comment). */
  why: string;
  error?: string;
}

function value(model: UnitModel, section: string, key: string): string | undefined {
  return lastAssignment(model, section, key)?.value.trim();
}

function runsAsRoot(model: UnitModel): boolean {
  const user = value(model, 'Service', 'User');
  return !user || user === 'root' || user === '0';
}

/** The ports a command line names (`--port 8080`, `-p 8080`, `:8080`, `port=8080`). */
function portsOf(command: string): number[] {
  const out: number[] = [];
  for (const m of command.matchAll(/(?:--?(?:port|listen|bind|p)[= ]:?|(?:[\w\].]|^|\s):|port=)(\d{2,5})\b/g))
    out.push(Number(m[1]));
  return out;
}

/**
 * What selects a generic kind, per profile id: a reason in words, or null. Only evidence that leaves
 * no doubt: a kind chosen wrongly takes away what the service needs.
 */
const EVIDENCE: Record<string, (model: UnitModel) => string | null> = {
  'generic-dbus-service': (model) => {
    if (value(model, 'Service', 'Type') === 'dbus') return 'it is a D-Bus service (Type=dbus)';
    if (value(model, 'Service', 'BusName')) return 'it takes a name on D-Bus (BusName=)';
    return null;
  },
  'generic-web-server': (model) => {
    const command = value(model, 'Service', 'ExecStart') ?? '';
    const low = portsOf(command).filter((p) => p > 0 && p < 1024);
    if (low.length === 0 || runsAsRoot(model)) return null;
    return `it runs as ${value(model, 'Service', 'User')} and its command line names port ${low[0]}`;
  },
  'generic-web-app': (model) => {
    const command = value(model, 'Service', 'ExecStart') ?? '';
    const ports = portsOf(command);
    if (ports.length === 0 || ports.some((p) => p < 1024) || runsAsRoot(model)) return null;
    return `it runs as ${value(model, 'Service', 'User')} and its command line names port ${ports[0]}`;
  },
  'generic-batch-job': (model) => {
    const type = value(model, 'Service', 'Type');
    const privateNetwork = value(model, 'Service', 'PrivateNetwork');
    if (type === 'oneshot' && privateNetwork && /^(1|yes|true|on|y|t)$/i.test(privateNetwork))
      return 'it is a one-shot job that already runs without network (Type=oneshot, PrivateNetwork=yes)';
    return null;
  },
};

/** The kind whose evidence the unit shows, with the reason; the first in profile order. */
function genericFor(model: UnitModel): { profile: ServiceProfile; why: string } | null {
  for (const p of SERVICE_PROFILES) {
    if (p.kind !== 'generic') continue;
    const why = EVIDENCE[p.id]?.(model) ?? null;
    if (why) return { profile: p, why };
  }
  return null;
}

export function selectProfile(model: UnitModel, forced: string | undefined): Selection {
  if (forced !== undefined) {
    const p = profileById(forced);
    if (!p)
      return {
        profile: null,
        why: '',
        error: `unknown profile '${forced}': known profiles are ${SERVICE_PROFILES.map((x) => x.id).join(', ')}`,
      };
    return { profile: p, why: 'asked for' };
  }
  const main = typedValues(model).value.exec.ExecStart[0];
  const needs = serviceNeedsFor(model.name, main?.path);
  const byService = needs ? profileForNeeds(needs.name) : undefined;
  if (byService) return { profile: byService, why: `the unit runs ${needs!.name}` };
  const generic = genericFor(model);
  if (generic) return { profile: generic.profile, why: generic.why };
  return { profile: null, why: 'no profile matches the unit: only settings that suit any service' };
}
