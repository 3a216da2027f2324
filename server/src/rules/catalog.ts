/** Every rule the core reports, with its default severity and a paragraph of documentation. */
import { assessorsFor } from '../exposure';
import { checkProblem, sandboxCode } from './sandbox';
import { MAX_DIAGNOSTICS_PER_FILE } from './cap';
import type { Severity } from './types';

export interface RuleDoc {
  code: string;
  severity: Severity | 'warning or information';
  summary: string;
}

export const CORE_RULES: RuleDoc[] = [
  { code: 'unknown-directive', severity: 'warning', summary: 'No section of this unit type knows the key in the target systemd version, so systemd ignores the line. The message suggests the closest valid name, or says which version added or removed the directive.' },
  { code: 'misplaced-directive', severity: 'warning', summary: 'The key is valid, but in another section of this unit type; systemd ignores it where it is.' },
  { code: 'deprecated-directive', severity: 'warning', summary: 'systemd still accepts the key but ignores it or warns about it in the target version.' },
  { code: 'invalid-value', severity: 'warning', summary: 'systemd cannot use the value: it logs a warning and ignores the assignment (warning), or refuses to load the unit (error).' },
  { code: 'unknown-section', severity: 'warning', summary: 'The unit type has no such section; systemd skips the section and everything in it. Sections starting with X- are for extensions and are skipped silently.' },
  { code: 'duplicate-section', severity: 'information', summary: 'A section header appears twice in one file. systemd reads both parts as one section, which is legal but easy to misread.' },
  { code: 'invalid-section-header', severity: 'error', summary: 'A line starts with [ but does not end with ]: systemd refuses to load the file.' },
  { code: 'bad-section-characters', severity: 'error', summary: 'A section name holds quotes, backslashes or control characters: systemd refuses to load the file.' },
  { code: 'invalid-utf8', severity: 'error', summary: 'A line that is not a comment is not valid UTF-8 (or holds a Unicode noncharacter): systemd refuses to load the file.' },
  { code: 'line-too-long', severity: 'error', summary: 'A line, or a line joined from continuation lines, reaches 1 MiB: systemd refuses to load the file.' },
  { code: 'assignment-outside-section', severity: 'warning', summary: 'Text before the first section header; systemd ignores it.' },
  { code: 'missing-equals', severity: 'warning', summary: "A line in a section has no '='; systemd ignores it." },
  { code: 'missing-key', severity: 'warning', summary: "A line starts with '='; systemd ignores it." },
  { code: 'nul-byte', severity: 'warning', summary: 'systemd ends a line at a NUL byte and reads what follows as a new line.' },
  { code: 'too-many-problems', severity: 'information', summary: `A file has more than ${MAX_DIAGNOSTICS_PER_FILE} problems: the first ${MAX_DIAGNOSTICS_PER_FILE} are shown (errors first, then in the order of the text) and this one diagnostic, on the first problem left out, says how many more there are. Real unit files have far fewer; thousands come from generated or damaged text.` },
];

/** Sandbox rules: one per exposure check of any supported version. */
export function sandboxRules(): RuleDoc[] {
  const seen = new Map<string, RuleDoc>();
  for (const v of [252, 254, 257, 262]) {
    for (const a of assessorsFor(v)) {
      const code = sandboxCode(a.json_field);
      if (seen.has(code)) continue;
      seen.set(code, {
        code,
        severity: 'warning or information',
        summary: `Check \`${a.id}\` of systemd-analyze security (weight ${a.weight}): ${checkProblem(a.json_field, a.id)}. The diagnostic names the setting that fixes it and the overall exposure after adding it. Warning for checks of weight 1000 or more, information otherwise.`,
      });
    }
  }
  return [...seen.values()];
}

export function allRules(): RuleDoc[] {
  return [...CORE_RULES, ...sandboxRules()];
}

/** docs/rules.md, generated from this catalog. */
export function rulesMarkdown(): string {
  const lines = ['# Rules', '', 'Every diagnostic of systemd-hardening has one of these codes. The code is also the key for `systemdHardening.severity` (set it to "off" to silence a rule).', ''];
  for (const r of allRules()) lines.push(`## ${r.code}`, '', `Default severity: ${r.severity}.`, '', r.summary, '');
  return lines.join('\n');
}
