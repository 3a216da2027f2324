/**
 * Unit names as systemd reads them (src/basic/unit-name.c): type suffix, templates, instances,
 * and the dashed prefixes whose drop-ins also apply.
 */

export const UNIT_TYPES = ['service', 'socket', 'target', 'device', 'mount', 'automount', 'swap', 'timer', 'path', 'slice', 'scope'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

const UNIT_NAME_MAX = 256;
const VALID_CHARS = /^[A-Za-z0-9:\-_.\\]+$/;
const VALID_INSTANCE_CHARS = /^[A-Za-z0-9:\-_.\\@]*$/;

export interface UnitName {
  name: string;
  /** Text before `@` (or before the type suffix when there is no `@`). */
  prefix: string;
  /** The instance after `@`: '' for a template, null when the name has no `@`. */
  instance: string | null;
  type: UnitType;
}

/** Parses a unit name; null when systemd would not accept it. */
export function parseUnitName(name: string): UnitName | null {
  if (name.length === 0 || name.length >= UNIT_NAME_MAX) return null;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  const type = name.slice(dot + 1);
  if (!(UNIT_TYPES as readonly string[]).includes(type)) return null;
  const stem = name.slice(0, dot);
  const at = stem.indexOf('@');
  if (at < 0) {
    if (!VALID_CHARS.test(stem)) return null;
    return { name, prefix: stem, instance: null, type: type as UnitType };
  }
  const prefix = stem.slice(0, at);
  const instance = stem.slice(at + 1);
  if (prefix.length === 0 || !VALID_CHARS.test(prefix) || !VALID_INSTANCE_CHARS.test(instance)) return null;
  return { name, prefix, instance, type: type as UnitType };
}

export function unitTypeOf(name: string): UnitType | null {
  return parseUnitName(name)?.type ?? null;
}

export function isTemplate(u: UnitName): boolean {
  return u.instance === '';
}

export function isInstance(u: UnitName): boolean {
  return u.instance !== null && u.instance !== '';
}

/** `foo@bar.service` → `foo@.service`; null for names that are not instances. */
export function templateOf(u: UnitName): string | null {
  return isInstance(u) ? `${u.prefix}@.${u.type}` : null;
}

/** `foo@.service` → `foo@i.service`, as `systemd-analyze security` names a template it scores. */
export function instantiate(u: UnitName, instance: string): string {
  return `${u.prefix}@${instance}.${u.type}`;
}

/**
 * The unit names whose `NAME.d/` drop-in folders apply to `name` inside one search folder, most
 * specific first, as systemd's unit_file_find_dirs() walks them: the name itself, its template,
 * then the dashed prefixes (`foo-bar-baz.service` → `foo-bar-.service`, `foo-.service`).
 */
export function dropinNames(name: string): string[] {
  const out: string[] = [];
  const visit = (n: string): void => {
    out.push(n);
    const u = parseUnitName(n);
    if (!u) return;
    const tpl = templateOf(u);
    if (tpl) visit(tpl);
    let prefix = u.prefix;
    let chopped = false;
    for (;;) {
      const dash = prefix.lastIndexOf('-');
      if (dash < 0 || dash === 0) return;
      if (dash + 1 < prefix.length || chopped) {
        prefix = prefix.slice(0, dash + 1);
        break;
      }
      prefix = prefix.slice(0, dash);
      chopped = true;
    }
    const instance = isInstance(u) ? u.instance : null;
    visit(instance !== null ? `${prefix}@${instance}.${u.type}` : `${prefix}.${u.type}`);
  };
  visit(name);
  return out;
}
