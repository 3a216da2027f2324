/**
 * Our hand-written documentation of directives, sections and architectures
 * (server/data/directive-docs.json): what the sandboxing settings protect against and can break,
 * the checks of `systemd-analyze security` each one can change, the meaning of value words, and
 * the umask values completion offers.
 */
import docsJson from '../../data/directive-docs.json';

export interface DirectiveDoc {
  readonly protects?: string;
  readonly breaks?: string;
  /** json_fields of the checks the setting can change; a trailing `*` matches a prefix. */
  readonly checks?: readonly string[];
  /** The value completion inserts along with the name (may be ''). */
  readonly best?: string;
  readonly values?: Readonly<Record<string, string>>;
  readonly related?: readonly string[];
}

interface DocsFile {
  header: { description: string; source: string | string[] };
  sections: Record<string, string>;
  directives: Record<string, DirectiveDoc>;
  architectures: Record<string, string>;
  umask: Array<{ value: string; description: string }>;
}

const DOCS = docsJson as unknown as DocsFile;

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Our extra documentation of a directive (sandboxing ones and a few enums), or undefined. */
export function directiveDoc(name: string): DirectiveDoc | undefined {
  return has(DOCS.directives, name) ? DOCS.directives[name] : undefined;
}

/** Every directive the docs file describes. */
export function documentedDirectives(): string[] {
  return Object.keys(DOCS.directives);
}

/** What a section is for, or undefined. */
export function sectionDoc(name: string): string | undefined {
  return has(DOCS.sections, name) ? DOCS.sections[name] : undefined;
}

export function architectureDoc(name: string): string | undefined {
  return has(DOCS.architectures, name) ? DOCS.architectures[name] : undefined;
}

/** The Umask= values completion offers and hover names, with what each means. */
export function umaskSuggestions(): readonly { value: string; description: string }[] {
  return DOCS.umask;
}

/** The meaning of one value word of a directive, from our docs (case-sensitive), or undefined. */
export function valueMeaning(name: string, value: string): string | undefined {
  const v = directiveDoc(name)?.values;
  return v && has(v, value) ? v[value] : undefined;
}

/** The check patterns of a directive (empty for directives no check reads). */
export function checkPatterns(name: string): readonly string[] {
  return directiveDoc(name)?.checks ?? [];
}

/** Whether some check of `systemd-analyze security` reads the directive (directly or through what systemd derives from it). */
export function isSandboxDirective(name: string): boolean {
  return checkPatterns(name).length > 0;
}

function matches(pattern: string, field: string): boolean {
  return pattern.endsWith('*') ? field.startsWith(pattern.slice(0, -1)) : field === pattern;
}

/** Whether a check (by json_field) belongs to the directive. */
export function directiveAffects(name: string, jsonField: string): boolean {
  return checkPatterns(name).some((p) => matches(p, jsonField));
}
