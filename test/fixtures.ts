/**
 * Annotated fixtures: a unit file whose comment lines mark the diagnostics expected on the line above.
 *
 *   ProtectSytem=strict
 *   #^^^^^^^^^^^^ unknown-directive warning
 *
 * The `#` is a gutter: the caret under column c+1 of the marker marks column c of the target line, so a
 * span starting at column 0 can be marked. A marker may end with `: text` that the message must contain.
 * Header comments `# version: 254` and `# name: foo@bar.service` set the target version and unit name;
 * `# editor: yes` analyses the unit as the editor does with this file open (service.ts analyzeDocument():
 * the exposure is computed and this file gets the `sandbox-…` hints, each ending with the exposure after
 * its fix). Files are read as the CLI reads them (bytes decoded losslessly), so a fixture may hold invalid
 * UTF-8 or NUL bytes.
 */
export interface Expected {
  /** 0-based line of the target line in the fixture text. */
  line: number;
  start: number;
  end: number;
  code: string;
  severity: string;
  contains?: string;
}

const MARKER = /^#( *)(\^+) ([a-z0-9-]+) (error|warning|information|hint)(?:: (.*))?$/;

export function isMarker(line: string): boolean {
  return MARKER.test(line);
}

export function readExpectations(text: string): {
  expected: Expected[];
  version?: number;
  name?: string;
  editor: boolean;
} {
  const lines = text.split(/\r?\n/);
  const expected: Expected[] = [];
  let target = -1;
  let version: number | undefined;
  let name: string | undefined;
  let editor = false;
  lines.forEach((l, i) => {
    const v = /^# version: (\d+)$/.exec(l);
    if (v) version = Number(v[1]);
    const n = /^# name: (\S+)$/.exec(l);
    if (n) name = n[1];
    if (l === '# editor: yes') editor = true;
    const m = MARKER.exec(l);
    if (!m) {
      target = i;
      return;
    }
    const start = m[1]!.length;
    expected.push({
      line: target,
      start,
      end: start + m[2]!.length,
      code: m[3]!,
      severity: m[4]!,
      ...(m[5] ? { contains: m[5] } : {}),
    });
  });
  return { expected, version, name, editor };
}
