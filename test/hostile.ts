/**
 * Hostile texts for the linearity tests (test/unit/hostile-text.test.ts) and the bench
 * (bench/hostile.ts): each makes a service unit of `n` repeated pieces that once made the core, or a
 * request on it, grow faster than the text. `plain` is a unit of ordinary lines of the same count,
 * to compare with.
 */
import { analyzeDocument, codeActions, LineIndex } from '../server/src/service';
import { complete } from '../server/src/features/completion';
import { hover } from '../server/src/features/hover';

export interface HostileCase {
  name: string;
  /** What one piece of the text is, for the bench's labels. */
  piece: string;
  make(n: number): string;
  /** The test's smaller size (default 3,000): large enough for the quadratic work it once did to dominate. */
  testSize?: number;
}

const HEAD = '[Unit]\nDescription=hostile\n\n[Service]\nExecStart=/usr/bin/daemon --pid /run/daemon/daemon.pid\n';

const lines = (n: number, line: (i: number) => string): string =>
  HEAD + Array.from({ length: n }, (_, i) => line(i) + '\n').join('');

export const PLAIN: HostileCase = {
  name: 'plain',
  piece: 'ordinary line',
  make: (n) =>
    lines(
      n,
      (i) => ['User=nobody', 'Environment=MODE=fast', 'ProtectSystem=full', 'LimitNOFILE=1024', '# a comment'][i % 5]!,
    ),
};

export const HOSTILE_CASES: readonly HostileCase[] = [
  {
    name: 'read-write-paths',
    piece: 'ReadWritePaths= line',
    make: (n) => lines(n, (i) => `ReadWritePaths=/var/lib/app${i}`),
  },
  {
    name: 'exec-sections',
    piece: '[Service] + ExecStart= pair',
    make: (n) => HEAD + '[Service]\nExecStart=/bin/true\n'.repeat(n),
  },
  { name: 'service-headers', piece: '[Service] header', make: (n) => HEAD + '[Service]\n'.repeat(n) },
  {
    name: 'system-call-filter',
    piece: 'SystemCallFilter= line',
    make: (n) =>
      lines(n, (i) => (i % 2 ? 'SystemCallFilter=~@mount @privileged' : 'SystemCallFilter=@system-service read write')),
  },
  {
    name: 'exec-write-paths',
    piece: 'ExecStartPre= line naming a folder',
    make: (n) => lines(n, (i) => `ExecStartPre=/bin/mkdir -p /var/lib/app${i}/data`),
    testSize: 8_000,
  },
  {
    name: 'device-allow',
    piece: 'DeviceAllow= line',
    make: (n) => lines(n, (i) => `DeviceAllow=/dev/tty${i} rw`),
    testSize: 12_000,
  },
  {
    name: 'carriage-returns',
    piece: 'line ended by CR',
    make: (n) => lines(n, (i) => (i % 2 ? 'User=nobody' : 'Environment=A=1')).replace(/\n/g, '\r'),
  },
  {
    name: 'misspelled-directives',
    piece: 'misspelled directive',
    make: (n) => lines(n, (i) => `ProtectSystme${i}=strict`),
  },
  { name: 'missing-equals', piece: "line without '='", make: (n) => lines(n, () => 'junk') },
  { name: 'nul-bytes', piece: 'NUL byte', make: (n) => HEAD + '\0'.repeat(n) },
];

export const UNIT = 'hostile.service';

/**
 * What an editor asks of the core for one document: the analysis, its diagnostics as editor
 * positions (what the language server publishes), code actions on a line in the middle (a cursor
 * move), and hover and completion there. Returns the analysis for further checks.
 */
export function editorWork(text: string): ReturnType<typeof analyzeDocument> {
  const files = [{ path: UNIT, text }];
  const analysis = analyzeDocument({ name: UNIT, files, version: 252 }, { file: UNIT });
  const index = new LineIndex(text);
  for (const d of analysis.diagnostics) index.positionAt(d.span.start);
  const middle = middleLineStart(text);
  codeActions(analysis, { start: middle, end: middle });
  const ctx = { name: UNIT, files, fileIndex: 0, offset: middle + 3, version: 252 as const };
  hover(ctx);
  complete(ctx);
  return analysis;
}

/** The start of the line that holds the middle of the text. */
export function middleLineStart(text: string): number {
  const middle = text.length >> 1;
  return Math.max(text.lastIndexOf('\n', middle), text.lastIndexOf('\r', middle), text.lastIndexOf('\0', middle)) + 1;
}
