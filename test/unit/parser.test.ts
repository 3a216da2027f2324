/**
 * The parser, case by case: each input is listed as the nodes and issues systemd's own parser
 * would see (line numbers are systemd's, which count NUL and "\n\r" as line ends).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBytes, encodeText } from '../../server/src/syntax/bytes';
import { parseUnitFile, printTree } from '../../server/src/syntax/parser';

function summary(text: string): string[] {
  const tree = parseUnitFile(text);
  assert.equal(printTree(tree), text, 'round trip');
  const out: string[] = [];
  for (const n of tree.nodes) {
    if (n.kind === 'entry')
      out.push(`${n.sdLine} entry [${n.section?.name ?? '-'}] ${JSON.stringify(n.key)}=${JSON.stringify(n.value)}`);
    else if (n.kind === 'section') out.push(`${n.sdLine} section ${JSON.stringify(n.name)}`);
    else if (n.kind === 'invalid') out.push(`${n.sdLine} invalid ${JSON.stringify(n.text)}`);
    else out.push(`${n.sdLine} ${n.kind}`);
  }
  for (const i of tree.issues) out.push(`! ${i.sdLine} ${i.code}${i.fatal ? ' fatal' : ''}`);
  return out;
}

const cases: [string, string, string[]][] = [
  [
    'plain unit',
    '[Unit]\nDescription=x\n\n[Service]\nExecStart=/bin/true\n',
    [
      '1 section "Unit"',
      '2 entry [Unit] "Description"="x"',
      '3 blank',
      '4 section "Service"',
      '5 entry [Service] "ExecStart"="/bin/true"',
    ],
  ],
  [
    'whitespace around = and empty value',
    '[Service]\n  Key \t=  \t\nOther=  a b  \n',
    ['1 section "Service"', '2 entry [Service] "Key"=""', '3 entry [Service] "Other"="a b"'],
  ],
  [
    'comments with # and ;, also indented',
    '# a\n; b\n   # c\n[Service]\nA=1 # not a comment\n',
    ['1 comment', '2 comment', '3 comment', '4 section "Service"', '5 entry [Service] "A"="1 # not a comment"'],
  ],
  [
    'continuation joins with a space and skips comment lines',
    '[Service]\nExecStart=/bin/a \\\n# skipped\n; skipped\n  --b\n',
    ['1 section "Service"', '5 entry [Service] "ExecStart"="/bin/a    --b"'],
  ],
  [
    'escaped backslash at the end is not a continuation',
    '[Service]\nA=x\\\\\nB=y\n',
    ['1 section "Service"', '2 entry [Service] "A"="x\\\\\\\\"', '3 entry [Service] "B"="y"'],
  ],
  [
    'backslash followed by a space is not a continuation',
    '[Service]\nA=x\\ \nB=y\n',
    ['1 section "Service"', '2 entry [Service] "A"="x\\\\"', '3 entry [Service] "B"="y"'],
  ],
  [
    'an empty line ends a continuation',
    '[Service]\nA=x\\\n\nB=y\n',
    ['1 section "Service"', '3 entry [Service] "A"="x"', '4 entry [Service] "B"="y"'],
  ],
  [
    'continuation at end of file counts one more line',
    '[Service]\nA=x\\',
    ['1 section "Service"', '3 entry [Service] "A"="x"'],
  ],
  [
    'a comment line ending in a backslash does not continue',
    '[Service]\n# c \\\nA=1\n',
    ['1 section "Service"', '2 comment', '3 entry [Service] "A"="1"'],
  ],
  [
    'continued key',
    '[Service]\nExec\\\nStart=/bin/x\n',
    ['1 section "Service"', '3 entry [Service] "Exec Start"="/bin/x"'],
  ],
  [
    'CRLF line ends',
    '[Service]\r\nA=1\r\nB=2',
    ['1 section "Service"', '2 entry [Service] "A"="1"', '3 entry [Service] "B"="2"'],
  ],
  [
    'LF CR is a single line end for systemd',
    '[Service]\n\rA=1\n',
    ['1 section "Service"', '2 entry [Service] "A"="1"'],
  ],
  ['lone CR ends a line', '[Service]\rA=1\r', ['1 section "Service"', '2 entry [Service] "A"="1"']],
  [
    'NUL ends a line',
    '[Service]\nUser=f\u0000oo\n',
    ['1 section "Service"', '2 entry [Service] "User"="f"', '3 invalid "oo"', '! 2 nul-byte', '! 3 missing-equals'],
  ],
  ['BOM is stripped', '\ufeff[Service]\nA=1\n', ['1 section "Service"', '2 entry [Service] "A"="1"']],
  ['BOM only once', '\ufeff[Service]\n\ufeffA=1\n', ['1 section "Service"', '2 entry [Service] "\ufeffA"="1"']],
  [
    'repeated keys and sections are kept in order',
    '[Service]\nA=1\nA=\nA=2\n[Service]\nA=3\n',
    [
      '1 section "Service"',
      '2 entry [Service] "A"="1"',
      '3 entry [Service] "A"=""',
      '4 entry [Service] "A"="2"',
      '5 section "Service"',
      '6 entry [Service] "A"="3"',
    ],
  ],
  ['line without =', '[Service]\njunk\n', ['1 section "Service"', '2 invalid "junk"', '! 2 missing-equals']],
  ['= without key', '[Service]\n =x\n', ['1 section "Service"', '2 invalid "=x"', '! 2 missing-key']],
  [
    'text before the first section',
    'A=1\njunk\n[Unit]\n',
    [
      '1 entry [-] "A"="1"',
      '2 invalid "junk"',
      '3 section "Unit"',
      '! 1 assignment-outside-section',
      '! 2 assignment-outside-section',
    ],
  ],
  [
    'broken section header is fatal',
    '[Unit\nA=1\n',
    ['1 invalid "[Unit"', '2 entry [-] "A"="1"', '! 1 invalid-section-header fatal', '! 2 assignment-outside-section'],
  ],
  [
    'a comment after a header breaks it',
    '[Unit] # x\n',
    ['1 invalid "[Unit] # x"', '! 1 invalid-section-header fatal'],
  ],
  [
    'quotes are bad characters in a section name',
    '[Un"it]\n',
    ['1 invalid "[Un\\"it]"', '! 1 bad-section-characters fatal'],
  ],
  [
    'extension and unknown section names parse as sections',
    '[X-Foo]\nA=1\n[ Service ]\n',
    ['1 section "X-Foo"', '2 entry [X-Foo] "A"="1"', '3 section " Service "'],
  ],
  [
    'specifiers are kept as written',
    '[Service]\nUser=%i\nExecStart=/bin/x %n %%\n',
    ['1 section "Service"', '2 entry [Service] "User"="%i"', '3 entry [Service] "ExecStart"="/bin/x %n %%"'],
  ],
  ['empty file', '', []],
  ['only whitespace lines', ' \n\t\n', ['1 blank', '2 blank']],
  [
    'invalid UTF-8 in an assignment is fatal, in a comment it is not',
    '# \udcff\n[Service]\nA=\udcff\n',
    ['1 comment', '2 section "Service"', '3 entry [Service] "A"="\\udcff"', '! 3 invalid-utf8 fatal'],
  ],
  [
    'noncharacters are invalid UTF-8 for systemd',
    '[Service]\nA=\uffff\n',
    ['1 section "Service"', '2 entry [Service] "A"="\uffff"', '! 2 invalid-utf8 fatal'],
  ],
];

for (const [name, input, expected] of cases) {
  test(`parser: ${name}`, () => assert.deepEqual(summary(input), expected));
}

test('parser: value spans map back to the source across continuation lines', () => {
  const text = '[Service]\nExecStart=/bin/a \\\n# c\n  --b\n';
  const tree = parseUnitFile(text);
  const e = tree.entries[0]!;
  assert.equal(text.slice(e.keySpan.start, e.keySpan.end), 'ExecStart');
  assert.equal(text.slice(e.valueSpan.start, e.valueSpan.start + 6), '/bin/a');
  assert.equal(text.slice(e.valueSpan.end - 3, e.valueSpan.end), '--b');
  for (const seg of e.segments) {
    assert.equal(
      text.slice(seg.offset, seg.offset + seg.length).replace(/\\$/, ' '),
      e.value.slice(seg.valueStart, seg.valueStart + seg.length),
    );
  }
  assert.equal(e.innerComments.length, 1);
  assert.equal(e.continued, true);
});

test('parser: a line of 1 MiB is fatal, one byte less is not', () => {
  const limit = 1024 * 1024;
  const ok = parseUnitFile('[Service]\nA=' + 'x'.repeat(limit - 3) + '\n');
  assert.deepEqual(ok.issues, []);
  const bad = parseUnitFile('[Service]\nA=' + 'x'.repeat(limit - 2) + '\n');
  assert.deepEqual(
    bad.issues.map((i) => i.code),
    ['line-too-long'],
  );
  const multibyte = parseUnitFile('[Service]\nA=' + 'é'.repeat(limit / 2) + '\n');
  assert.deepEqual(
    multibyte.issues.map((i) => i.code),
    ['line-too-long'],
  );
});

test('bytes: any bytes survive decode and encode', () => {
  const samples = [
    [0xff, 0xfe, 0x41],
    [0xc3, 0xa9],
    [0xc3],
    [0xe2, 0x82],
    [0xf0, 0x9f, 0x98, 0x80],
    [0xed, 0xa0, 0x80],
    [0xc0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0x00, 0x0a, 0x0d],
    [0xef, 0xbb, 0xbf, 0x5b],
  ];
  for (const s of samples) {
    const bytes = Uint8Array.from(s);
    assert.deepEqual([...encodeText(decodeBytes(bytes))], s);
  }
  assert.equal(decodeBytes(Uint8Array.from([0x41, 0xff])), 'A\udcff');
  assert.equal(decodeBytes(Uint8Array.from([0xf0, 0x9f, 0x98, 0x80])), '😀');
});

test('positions: LSP lines end at \\n, \\r\\n and \\r; characters count UTF-16 code units', async () => {
  const { LineIndex } = await import('../../server/src/syntax/lines');
  const text = 'a\r\nb😀c\rd\n\u0000e';
  const ix = new LineIndex(text);
  assert.equal(ix.lineCount, 4);
  assert.deepEqual(ix.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(ix.positionAt(3), { line: 1, character: 0 });
  assert.deepEqual(ix.positionAt(text.indexOf('c')), { line: 1, character: 3 });
  assert.deepEqual(ix.positionAt(text.indexOf('d')), { line: 2, character: 0 });
  assert.deepEqual(ix.positionAt(text.indexOf('e')), { line: 3, character: 1 });
  for (let o = 0; o <= text.length; o++) {
    const p = ix.positionAt(o);
    const back = ix.offsetAt(p);
    assert.ok(back === o || text[o - 1] === '\r', `offset ${o}`);
  }
  assert.equal(ix.offsetAt({ line: 0, character: 99 }), 1, 'clamped to the line end');
  assert.equal(ix.offsetAt({ line: 99, character: 0 }), text.length);
});
