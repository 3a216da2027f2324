/**
 * Unit names as systemd reads them (src/basic/unit-name.c): type suffix, templates, instances,
 * and the dashed prefixes whose drop-ins also apply.
 */

export const UNIT_TYPES = [
  'service',
  'socket',
  'target',
  'device',
  'mount',
  'automount',
  'swap',
  'timer',
  'path',
  'slice',
  'scope',
] as const;
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

/** Why systemd refuses a unit name: `invalid` (the reason, in words) or a suffix that is no unit type. */
export type UnitNameProblem = { kind: 'invalid'; reason: string } | { kind: 'unknown-type'; suffix: string };

/** The length of a string in UTF-8 bytes (a lone surrogate U+DC80..U+DCFF stands for one raw byte, see syntax/bytes.ts). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else if (c >= 0xdc80 && c <= 0xdcff) n += 1;
    else n += 3;
  }
  return n;
}

function describeChar(s: string, at: number): string {
  const code = s.codePointAt(at)!;
  if (code === 0x20) return 'a space';
  if (code > 0x20 && code < 0x7f) return `'${s[at]}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why systemd refuses `name` as a unit name, or null when it takes it: the checks of
 * unit_name_is_valid(name, UNIT_NAME_ANY) in src/basic/unit-name.c (v252 to v262), in its order. A
 * name is shorter than UNIT_NAME_MAX (256) bytes, ends with `.TYPE` of a unit type after a non-empty
 * stem, holds only ASCII letters, digits, `:-_.\` and `@` before that, and does not start with `@`.
 */
export function unitNameProblem(name: string): UnitNameProblem | null {
  if (name.length === 0) return { kind: 'invalid', reason: 'the name is empty' };
  const bytes = utf8Length(name);
  if (bytes >= UNIT_NAME_MAX)
    return {
      kind: 'invalid',
      reason: `a unit name may be at most ${UNIT_NAME_MAX - 1} bytes long, and this one has ${bytes}`,
    };
  const dot = name.lastIndexOf('.');
  if (dot < 0) return { kind: 'invalid', reason: "a unit name ends with its type, such as '.service' or '.socket'" };
  if (dot === 0) return { kind: 'invalid', reason: `the name before '${name}' is empty` };
  const type = name.slice(dot + 1);
  if (!(UNIT_TYPES as readonly string[]).includes(type)) return { kind: 'unknown-type', suffix: name.slice(dot) };
  for (let i = 0; i < dot; i++) {
    const c = name[i]!;
    if (c !== '@' && !VALID_CHARS.test(c)) {
      return {
        kind: 'invalid',
        reason: `unit names may contain only ASCII letters, digits, ':', '-', '_', '.', '\\' and '@', and this one has ${describeChar(name, i)}`,
      };
    }
  }
  if (name[0] === '@')
    return {
      kind: 'invalid',
      reason:
        "nothing comes before '@' (a template is named like 'getty@.service', an instance like 'getty@tty1.service')",
    };
  return null;
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
