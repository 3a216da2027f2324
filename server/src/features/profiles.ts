/**
 * Hardening profiles for common kinds of services (server/data/profiles.json), and the snippets made
 * from them: `${name:default}` placeholders become numbered snippet tab stops. Completion offers them
 * where they belong, in [Service] (completion-profiles.ts); there is no static snippet file, since
 * an editor would offer that in every section, without the header.
 */
import data from '../../data/profiles.json';

export interface Profile {
  id: string;
  title: string;
  description: string;
  settings: string[];
}

export const PROFILES: readonly Profile[] = data.profiles;

/** The profile's lines with every placeholder replaced by its default. */
export function profileLines(p: Profile): string[] {
  return p.settings.map((l) => l.replace(/\$\{[a-z]+:([^}]*)\}/g, '$1'));
}

/** A VS Code snippet body (lines for [Service]): placeholders numbered in order of first appearance, the same name sharing a number. */
export function snippetBody(p: Profile): string[] {
  const numbers = new Map<string, number>();
  const body = p.settings.map((l) =>
    l.replace(/\$\{([a-z]+):([^}]*)\}/g, (_, name: string, def: string) => {
      if (!numbers.has(name)) numbers.set(name, numbers.size + 1);
      return `\${${numbers.get(name)}:${def}}`;
    }),
  );
  return [...body, '$0'];
}
