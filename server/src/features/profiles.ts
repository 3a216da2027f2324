/**
 * The generic hardening profiles (kind "generic" in server/data/service-profiles/, the same profiles
 * `harden` starts from when a unit clearly is of that kind) as completion snippets: `${name:default}`
 * placeholders become numbered snippet tab stops. Completion offers them where they belong, in
 * [Service] (completion-profiles.ts); there is no static snippet file, since an editor would offer that
 * in every section, without the header.
 */
import { lineAvailable } from '../knowledge/word-availability';
import { SERVICE_PROFILES, withDefaults } from '../knowledge/service-profiles';

export interface Profile {
  /** The profile's id without `generic-` (the snippet is `harden-ID`). */
  id: string;
  title: string;
  description: string;
  settings: string[];
}

export const PROFILES: readonly Profile[] = SERVICE_PROFILES.filter((p) => p.kind === 'generic').map((p) => ({
  id: p.id.replace(/^generic-/, ''),
  title: p.title,
  description: p.description ?? p.assumes,
  settings: p.groups.flatMap((g) => g.lines),
}));

/** The profile's settings that systemd `version` takes in [Service] (with the placeholders' defaults). */
function settingsFor(p: Profile, version: number): string[] {
  return p.settings.filter((l) => lineAvailable('Service', withDefaults(l), version));
}

/** The profile's lines for that version with every placeholder replaced by its default. */
export function profileLines(p: Profile, version: number): string[] {
  return settingsFor(p, version).map(withDefaults);
}

/**
 * A VS Code snippet body (lines for [Service]) for that version: placeholders numbered in order of first
 * appearance, the same name sharing a number.
 */
export function snippetBody(p: Profile, version: number): string[] {
  const numbers = new Map<string, number>();
  const body = settingsFor(p, version).map((l) =>
    l.replace(/\$\{([a-z]+):([^}]*)\}/g, (_, name: string, def: string) => {
      if (!numbers.has(name)) numbers.set(name, numbers.size + 1);
      return `\${${numbers.get(name)}:${def}}`;
    }),
  );
  return [...body, '$0'];
}
