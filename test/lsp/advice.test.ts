/**
 * Tier "lsp": how the editor presents advice (issue 12, section 3), over the built server as an
 * editor drives it. One summary diagnostic on [Service] with the exposure and what the recommended
 * drop-in reaches, and its "Harden this unit…" action; per-check sandbox diagnostics as hints (or the
 * configured severity), on the line of their setting, in one open file of the unit, none whose fix
 * leaves the printed exposure as it is; fixes the breakage analysis cannot vouch for say so and are
 * never preferred; fixes of a vendor unit go to a drop-in; breaks-… and weakens-… are warnings on
 * the offending line; the harden request's edit writes the drop-in.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readExpectations } from '../fixtures';
import {
  fileUri,
  LspServer,
  type CodeAction,
  type Diagnostic,
  type Exposure,
  type TextEdit,
  type WorkspaceEdit,
} from './client';

const FIXTURE = join(__dirname, '..', 'e2e', 'fixtures', 'workspace');
const DIAGNOSTIC_FIXTURES = join(__dirname, '..', 'fixtures', 'diagnostics');
const SEVERITY = { error: 1, warning: 2, information: 3, hint: 4 } as const;
const SUMMARY = 'exposure-summary';
const HARDEN_COMMAND = 'systemdHardening.hardenUnit';

let server: LspServer;
let tmp: string;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sh-advice-'));
  server = LspServer.start();
  await server.initialize(tmp);
});

after(async () => {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function write(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** A copy of the e2e workspace (nginx.service and nginx.service.d/override.conf) under `folder`. */
function nginxCopy(folder: string): { unit: string; dropin: string } {
  const dir = join(tmp, folder);
  cpSync(FIXTURE, dir, { recursive: true });
  return { unit: join(dir, 'nginx.service'), dropin: join(dir, 'nginx.service.d', 'override.conf') };
}

const isSandbox = (d: Diagnostic): boolean => String(d.code).startsWith('sandbox-');
const lineText = (text: string, line: number): string => text.split(/\r?\n/)[line] ?? '';
const prediction = (d: Diagnostic): string | null =>
  /: (\d+\.\d) → (\d+\.\d)$/.exec(d.message)?.slice(1, 3).join('→') ?? null;

async function setSettings(settings: unknown): Promise<void> {
  server.settings = settings;
  await server.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
}

/** Opens the file and waits for diagnostics with the summary (the document shows its unit's advice). */
async function openShown(path: string, text = readFileSync(path, 'utf8')): Promise<Diagnostic[]> {
  const uri = fileUri(path);
  const mark = server.mark();
  await server.open(uri, text);
  return server.diagnostics(
    uri,
    (ds) => ds.some((d) => d.code === SUMMARY && /recommended drop-in/.test(d.message)),
    `the summary with the recommended drop-in on ${basename(path)}`,
    mark,
  );
}

async function actions(uri: string, range: Diagnostic['range'], diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  return (
    (await server.request<CodeAction[] | null>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, triggerKind: 1 },
    })) ?? []
  );
}

/** The file texts after a workspace edit: `files` holds the texts before (missing = a new file). */
function applyWorkspaceEdit(edit: WorkspaceEdit, files: Map<string, string>): Map<string, string> {
  const out = new Map(files);
  const apply = (uri: string, edits: TextEdit[]): void => {
    out.set(uri, TextDocument.applyEdits(TextDocument.create(uri, 'systemd-unit', 1, out.get(uri) ?? ''), edits));
  };
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) apply(uri, edits);
  for (const c of edit.documentChanges ?? []) {
    if (c.kind === 'create') {
      if (!out.has(c.uri!)) out.set(c.uri!, '');
    } else if (c.textDocument) apply(c.textDocument.uri, c.edits ?? []);
  }
  return out;
}

// --- severity -----------------------------------------------------------------------------------

const SEVERITY_CASES: { setting: 'hint' | 'information' | 'warning' | 'off' | undefined; want: number | null }[] = [
  { setting: undefined, want: SEVERITY.hint },
  { setting: 'information', want: SEVERITY.information },
  { setting: 'warning', want: SEVERITY.warning },
  { setting: 'hint', want: SEVERITY.hint },
  { setting: 'off', want: null },
];

for (const c of SEVERITY_CASES) {
  test(`severity: systemdHardening.sandboxDiagnostics.severity ${c.setting ?? '(default)'} → sandbox diagnostics ${c.want === null ? 'off' : `severity ${c.want}`}, the summary stays information`, async () => {
    await setSettings(c.setting ? { sandboxDiagnostics: { severity: c.setting } } : null);
    try {
      const { unit } = nginxCopy(`severity-${c.setting ?? 'default'}`);
      const ds = await openShown(unit);
      const sandbox = ds.filter(isSandbox);
      if (c.want === null)
        assert.deepEqual(
          sandbox.map((d) => d.code),
          [],
        );
      else {
        assert.ok(sandbox.length > 0, 'no sandbox diagnostic');
        assert.deepEqual([...new Set(sandbox.map((d) => d.severity))], [c.want]);
      }
      const summary = ds.filter((d) => d.code === SUMMARY);
      assert.equal(summary.length, 1);
      assert.equal(summary[0]!.severity, SEVERITY.information);
      await server.close(fileUri(unit));
    } finally {
      await setSettings(null);
    }
  });
}

test('severity: a per-code entry of systemdHardening.severity wins over sandboxDiagnostics.severity', async () => {
  await setSettings({
    sandboxDiagnostics: { severity: 'information' },
    severity: { 'sandbox-protect-proc': 'warning' },
  });
  try {
    const { unit } = nginxCopy('severity-per-code');
    const ds = await openShown(unit);
    assert.equal(ds.find((d) => d.code === 'sandbox-protect-proc')?.severity, SEVERITY.warning);
    assert.ok(
      ds
        .filter(isSandbox)
        .filter((d) => d.code !== 'sandbox-protect-proc')
        .every((d) => d.severity === SEVERITY.information),
    );
    await server.close(fileUri(unit));
  } finally {
    await setSettings(null);
  }
});

// --- placement ----------------------------------------------------------------------------------

/** [which file is edited, diagnostic code, the line it must sit on]. */
const PLACEMENT: { file: 'unit' | 'dropin'; code: string; line: string }[] = [
  // Set in the unit: on its line.
  { file: 'unit', code: 'sandbox-protect-proc', line: 'ProtectProc=noaccess' },
  {
    file: 'unit',
    code: 'sandbox-restrict-address-families-af-packet',
    line: 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_PACKET',
  },
  {
    file: 'unit',
    code: 'sandbox-capability-bounding-set-cap-sys-admin',
    line: 'CapabilityBoundingSet=~CAP_SYS_PTRACE',
  },
  // Set nowhere: on [Service].
  { file: 'unit', code: 'sandbox-private-devices', line: '[Service]' },
  // The drop-in being edited: on its own line when it sets the setting, else its [Service], never on the unit's lines.
  { file: 'dropin', code: 'sandbox-system-call-filter-raw-io', line: 'SystemCallFilter=~@mount' },
  { file: 'dropin', code: 'sandbox-protect-proc', line: '[Service]' },
  { file: 'dropin', code: 'sandbox-private-devices', line: '[Service]' },
];

test('placement: each sandbox diagnostic sits on the line of its setting in the file being edited, else on [Service]', async () => {
  const dir = join(tmp, 'placement');
  const unitText = readFileSync(join(FIXTURE, 'nginx.service'), 'utf8').replace(
    'ProtectProc=noaccess\n',
    'ProtectProc=noaccess\nRestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_PACKET\nCapabilityBoundingSet=~CAP_SYS_PTRACE\n',
  );
  const files = {
    unit: write(join(dir, 'nginx.service'), unitText),
    dropin: write(
      join(dir, 'nginx.service.d', 'override.conf'),
      '[Service]\nProtectHome=yes\nSystemCallFilter=~@mount\n',
    ),
  };
  const wrong: string[] = [];
  for (const which of ['unit', 'dropin'] as const) {
    const path = files[which];
    const text = readFileSync(path, 'utf8');
    const ds = await openShown(path);
    for (const c of PLACEMENT.filter((x) => x.file === which)) {
      const d = ds.find((x) => x.code === c.code);
      if (!d) wrong.push(`${which}: no ${c.code}`);
      else if (lineText(text, d.range.start.line) !== c.line)
        wrong.push(`${which}: ${c.code} on '${lineText(text, d.range.start.line)}', expected '${c.line}'`);
    }
    await server.close(fileUri(path));
  }
  assert.deepEqual(wrong, []);
});

// --- one file -----------------------------------------------------------------------------------

test("one file: the unit's sandbox diagnostics and summary show in the document opened or changed last, never in both", async () => {
  const { unit, dropin } = nginxCopy('one-file');
  const unitUri = fileUri(unit);
  const dropinUri = fileUri(dropin);
  const advice = (ds: Diagnostic[]): number => ds.filter((d) => isSandbox(d) || d.code === SUMMARY).length;
  await openShown(unit);
  // The drop-in opened: the advice moves there and leaves the unit (its own diagnostics stay).
  let mark = server.mark();
  await server.open(dropinUri, readFileSync(dropin, 'utf8'));
  await server.diagnostics(dropinUri, (ds) => advice(ds) > 0, 'the advice on the drop-in', mark);
  await server.diagnostics(unitUri, (ds) => advice(ds) === 0, 'the unit without the advice', mark);
  // A change in the unit brings it back there.
  mark = server.mark();
  await server.change(unitUri, readFileSync(unit, 'utf8') + '\n');
  await server.diagnostics(unitUri, (ds) => advice(ds) > 0, 'the advice back on the unit', mark);
  const dropinNow = await server.diagnostics(
    dropinUri,
    (ds) => advice(ds) === 0,
    'the drop-in without the advice',
    mark,
  );
  // The drop-in keeps its own findings (the misspelt ProtectKernelTunable=).
  assert.ok(
    dropinNow.some((d) => d.code === 'unknown-directive'),
    JSON.stringify(dropinNow),
  );
  // Closing the unit: the drop-in shows the advice again.
  mark = server.mark();
  await server.close(unitUri);
  await server.diagnostics(dropinUri, (ds) => advice(ds) > 0, 'the advice on the drop-in after the unit closed', mark);
  await server.close(dropinUri);
});

test("lens: when a drop-in changes the unit's figures, the server asks for fresh code lenses (the unit file's lens would keep the old exposure)", async () => {
  const { unit, dropin } = nginxCopy('lens-refresh');
  const unitUri = fileUri(unit);
  const dropinUri = fileUri(dropin);
  await openShown(unit);
  await server.open(dropinUri, readFileSync(dropin, 'utf8'));
  const before = server.lensRefreshes;
  const mark = server.mark();
  await server.change(dropinUri, `${readFileSync(dropin, 'utf8')}\nPrivateDevices=yes\n`);
  await server.diagnostics(unitUri, () => true, 'the unit published again', mark);
  await server.lensRefreshed(before);
  const lenses = await server.request<Array<{ command: { title: string } }>>('textDocument/codeLens', {
    textDocument: { uri: unitUri },
  });
  const dropinLens = await server.request<Array<{ command: { title: string } }>>('textDocument/codeLens', {
    textDocument: { uri: dropinUri },
  });
  assert.equal(
    lenses[0]?.command.title,
    dropinLens[0]?.command.title,
    "the unit's lens gives the figure with the changed drop-in",
  );
  await server.close(dropinUri);
  await server.close(unitUri);
});

// --- zero change --------------------------------------------------------------------------------

test('zero change: no sandbox diagnostic predicts the exposure it already has (nginx had 21 such, "8.8 → 8.8")', async () => {
  const { unit } = nginxCopy('zero-change');
  const ds = (await openShown(unit)).filter(isSandbox);
  const exposure = await server.request<Exposure | null>('systemdHardening/exposure', { uri: fileUri(unit) });
  const now = exposure?.exposure?.toFixed(1);
  assert.ok(now);
  assert.ok(ds.length > 0);
  const same = ds.filter((d) => prediction(d)?.split('→')[1] === now);
  assert.deepEqual(
    same.map((d) => d.message),
    [],
  );
  assert.ok(
    ds.every((d) => prediction(d)?.split('→')[0] === now),
    'every prediction starts from the exposure',
  );
  // The suggestions the report lists with no change are the ones left out.
  const unchanged = (exposure!.suggestions as { setting: string; exposure_after: number }[]).filter(
    (s) => s.exposure_after.toFixed(1) === now,
  );
  assert.ok(unchanged.length > 0, 'the fixture has suggestions that do not move the printed exposure');
  await server.close(fileUri(unit));
});

// --- the summary and "Harden this unit…" -------------------------------------------------------

test('summary: one information diagnostic on [Service] with the exposure and the recommended drop-in\'s figure, and the "Harden this unit…" action', async () => {
  const { unit } = nginxCopy('summary');
  const uri = fileUri(unit);
  const text = readFileSync(unit, 'utf8');
  const ds = await openShown(unit);
  const summaries = ds.filter((d) => d.code === SUMMARY);
  assert.equal(summaries.length, 1);
  const summary = summaries[0]!;
  assert.equal(lineText(text, summary.range.start.line), '[Service]');
  const harden = await server.request<{
    exposureBefore: number;
    bandBefore: string;
    exposureAfter: number;
    bandAfter: string;
    dropin: string;
  } | null>('systemdHardening/harden', { uri });
  assert.ok(harden && harden.dropin.startsWith('#'), JSON.stringify(harden));
  // nginx's PrivateTmp= and ProtectSystem= imply the mount namespace the running manager counts: both figures.
  const report = await server.request<Exposure | null>('systemdHardening/exposure', { uri });
  const other = report?.other_figure as { exposure: number; band: string } | undefined;
  assert.ok(other, "the running figure differs from the file's");
  assert.equal(
    summary.message,
    `nginx.service: exposure ${harden.exposureBefore.toFixed(1)} ${harden.bandBefore} in the file, ${other.exposure.toFixed(1)} ${other.band} once running; the recommended drop-in brings it to ${harden.exposureAfter.toFixed(1)} ${harden.bandAfter}.`,
  );
  const offered = await actions(uri, summary.range, [summary]);
  const action = offered.find((a) => a.title === 'Harden this unit…');
  assert.ok(action, offered.map((a) => a.title).join('\n'));
  assert.equal(action.kind, 'quickfix');
  assert.equal(action.edit, undefined, 'the action previews first: no edit of its own');
  assert.deepEqual(action.command, { title: 'Harden this unit…', command: HARDEN_COMMAND, arguments: [uri] });
  // Preferred (VS Code lists it first): the recommended drop-in keeps the service running, and it is previewed before anything is written.
  assert.equal(action.isPreferred, true);
  // Ctrl+. on [Service] without naming a diagnostic lists it first.
  const onHeader = await actions(uri, summary.range, []);
  assert.equal(onHeader[0]?.title, 'Harden this unit…');
  await server.close(uri);
});

/** [unit file path under the case folder, where the drop-in must go]. */
const HARDEN_PATHS: [string, string][] = [
  ['nginx.service', 'nginx.service.d/hardening.conf'],
  ['usr/lib/systemd/system/nginx.service', 'etc/systemd/system/nginx.service.d/hardening.conf'],
  [
    'srv/chroot/bookworm/lib/systemd/system/nginx.service',
    'srv/chroot/bookworm/etc/systemd/system/nginx.service.d/hardening.conf',
  ],
];

for (const [unitRel, dropinRel] of HARDEN_PATHS) {
  test(`harden request: ${unitRel} → its edit writes ${dropinRel}; applied, the unit scores what it predicted; a second request has nothing to write`, async () => {
    const dir = join(tmp, 'harden', unitRel.replace(/\W+/g, '-'));
    const unit = write(join(dir, unitRel), readFileSync(join(FIXTURE, 'nginx.service'), 'utf8'));
    const uri = fileUri(unit);
    await openShown(unit);
    const r = await server.request<{
      dropinPath: string;
      dropinUri: string;
      dropin: string;
      exposureAfter: number;
      existing: string | null;
      edit: WorkspaceEdit | null;
    } | null>('systemdHardening/harden', { uri });
    assert.ok(r && r.edit, JSON.stringify(r));
    assert.equal(r.dropinPath, join(dir, dropinRel));
    assert.equal(r.existing, null);
    const files = applyWorkspaceEdit(r.edit, new Map([[uri, readFileSync(unit, 'utf8')]]));
    assert.deepEqual(
      [...files.keys()].sort(),
      [uri, r.dropinUri].sort(),
      'the edit writes the drop-in only, never the unit file',
    );
    assert.equal(files.get(r.dropinUri), r.dropin);
    write(r.dropinPath, r.dropin);
    // Opened (as the command does), the drop-in is part of the unit: its exposure is the predicted one.
    const mark = server.mark();
    await server.open(r.dropinUri, r.dropin);
    await server.diagnostics(r.dropinUri, () => true, 'diagnostics of the new drop-in', mark);
    const exposure = await server.request<Exposure | null>('systemdHardening/exposure', { uri: r.dropinUri });
    assert.equal(exposure?.exposure, r.exposureAfter);
    // The summary (on the drop-in, opened last) says it is in place, and offers no action.
    const summary = (
      await server.diagnostics(
        r.dropinUri,
        (ds) => ds.some((d) => d.code === SUMMARY && /in place/.test(d.message)),
        'the summary on the new drop-in',
        mark,
      )
    ).find((d) => d.code === SUMMARY)!;
    assert.equal(
      summary.message,
      `nginx.service: exposure ${r.exposureAfter.toFixed(1)} OK; the recommended drop-in is in place.`,
    );
    assert.deepEqual(
      (await actions(r.dropinUri, summary.range, [summary])).filter((a) => a.title === 'Harden this unit…'),
      [],
    );
    const again = await server.request<{ existing: string | null; edit: unknown } | null>('systemdHardening/harden', {
      uri,
    });
    assert.equal(again?.existing, r.dropin);
    assert.equal(again?.edit, null);
    await server.close(r.dropinUri);
    await server.close(uri);
  });
}

test('harden request: a hardening.conf that differs is replaced whole (the edit covers its text)', async () => {
  const { unit } = nginxCopy('harden-replace');
  const old = write(join(unit + '.d', 'hardening.conf'), '[Service]\nPrivateTmp=yes\n# mine\n');
  const uri = fileUri(unit);
  await openShown(unit);
  const r = await server.request<{
    dropinUri: string;
    dropin: string;
    existing: string | null;
    edit: WorkspaceEdit | null;
  } | null>('systemdHardening/harden', { uri });
  assert.ok(r?.edit);
  assert.equal(r.existing, readFileSync(old, 'utf8'));
  const files = applyWorkspaceEdit(r.edit, new Map([[r.dropinUri, r.existing!]]));
  assert.equal(files.get(r.dropinUri), r.dropin);
  await server.close(uri);
});

// --- quick fix titles and what they do ------------------------------------------------------------

const RISK = /; may break the service: .+\)$/;

/** [diagnostic code, title (without the risk's reason), the line of the edited unit that must hold the fix, preferred]. */
const FIXES: { code: string; title: RegExp; line: string; preferred: boolean }[] = [
  {
    code: 'sandbox-protect-kernel-modules',
    title: /^Add ProtectKernelModules=yes \(exposure 8\.8 → 8\.4\)$/,
    line: 'ProtectKernelModules=yes',
    preferred: true,
  },
  {
    code: 'sandbox-protect-proc',
    title:
      /^Change to ProtectProc=invisible \(exposure 8\.8 → 8\.7; may break the service: other users' processes vanish from \/proc/,
    line: 'ProtectProc=invisible',
    preferred: false,
  },
  {
    code: 'sandbox-private-devices',
    title: /^Add PrivateDevices=yes \(exposure 8\.8 → 8\.2; may break the service: /,
    line: 'PrivateDevices=yes',
    preferred: false,
  },
  {
    code: 'sandbox-capability-bounding-set-cap-sys-admin',
    title: /^Add CapabilityBoundingSet=~CAP_SYS_ADMIN \(exposure 8\.8 → 8\.5; may break the service: /,
    line: 'CapabilityBoundingSet=~CAP_SYS_ADMIN',
    preferred: false,
  },
  {
    code: 'sandbox-system-call-filter-mount',
    title:
      /^Add SystemCallFilter=~@mount \(exposure 8\.8 → 8\.6; may break the service: a call of @mount kills the service \(SIGSYS\)/,
    line: 'SystemCallFilter=~@mount',
    preferred: false,
  },
];

test('quick fixes: outside the safe set the title says what may break and the fix is not preferred; safe ones are preferred; every fix applied gives the expected text', async () => {
  const { unit } = nginxCopy('fix-titles');
  const uri = fileUri(unit);
  const text = readFileSync(unit, 'utf8');
  const ds = await openShown(unit);
  const wrong: string[] = [];
  for (const d of ds.filter(isSandbox)) {
    const mine = (await actions(uri, d.range, [d])).filter((a) => a.diagnostics?.some((x) => x.code === d.code));
    if (mine.length !== 1) wrong.push(`${d.code}: ${mine.length} fixes`);
    for (const a of mine)
      if (RISK.test(a.title) === (a.isPreferred === true))
        wrong.push(`${d.code}: '${a.title}' preferred=${a.isPreferred === true}`);
  }
  for (const c of FIXES) {
    const d = ds.find((x) => x.code === c.code);
    if (!d) {
      wrong.push(`no ${c.code}`);
      continue;
    }
    const [a] = (await actions(uri, d.range, [d])).filter((x) => x.diagnostics?.some((y) => y.code === c.code));
    if (!a?.edit) {
      wrong.push(`${c.code}: no fix`);
      continue;
    }
    if (!c.title.test(a.title)) wrong.push(`${c.code}: title '${a.title}' does not match ${c.title}`);
    if ((a.isPreferred === true) !== c.preferred) wrong.push(`${c.code}: preferred ${a.isPreferred === true}`);
    const edited = applyWorkspaceEdit(a.edit, new Map([[uri, text]])).get(uri)!;
    const added = edited.split('\n').filter((l) => !text.split('\n').includes(l));
    if (JSON.stringify(added) !== JSON.stringify([c.line]))
      wrong.push(
        `${c.code}: the fix changed the text by ${JSON.stringify(added)}, expected ${JSON.stringify([c.line])}`,
      );
    if (edited.split('\n').length - text.split('\n').length !== (c.title.source.includes('Change to') ? 0 : 1))
      wrong.push(`${c.code}: line count`);
  }
  assert.deepEqual(wrong, []);
  await server.close(uri);
});

test("quick fixes of a vendor unit (inside an image tree) write the tree's /etc drop-in, never the vendor file", async () => {
  const root = join(tmp, 'vendor-image');
  const unit = write(
    join(root, 'usr/lib/systemd/system/nginx.service'),
    readFileSync(join(FIXTURE, 'nginx.service'), 'utf8'),
  );
  const dropin = join(root, 'etc/systemd/system/nginx.service.d/hardening.conf');
  const uri = fileUri(unit);
  const text = readFileSync(unit, 'utf8');
  const ds = await openShown(unit);
  const all = await actions(
    uri,
    { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } },
    ds,
  );
  assert.ok(all.length > 0);
  const wrong: string[] = [];
  for (const a of all) {
    if (!a.edit) continue;
    const files = applyWorkspaceEdit(a.edit, new Map([[uri, text]]));
    if (files.get(uri) !== text) wrong.push(`'${a.title}' edits the vendor file`);
  }
  assert.deepEqual(wrong, []);
  // The ProtectProc= fix, a change of a vendor line, becomes a line of the drop-in.
  const d = ds.find((x) => x.code === 'sandbox-protect-proc')!;
  assert.equal(lineText(text, d.range.start.line), 'ProtectProc=noaccess', 'the diagnostic stays on the vendor line');
  const [fix] = (await actions(uri, d.range, [d])).filter((x) => x.diagnostics?.some((y) => y.code === d.code));
  assert.ok(fix?.edit);
  assert.match(
    fix.title,
    new RegExp(
      `^Add ProtectProc=invisible to ${dropin.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(exposure 9\\.2 → 9\\.1; may break the service: `,
    ),
  );
  assert.equal(
    applyWorkspaceEdit(fix.edit, new Map([[uri, text]])).get(fileUri(dropin)),
    '[Service]\nProtectProc=invisible\n',
  );
  // No unit-wide action moves or applies settings inside the vendor file.
  assert.deepEqual(
    all.filter((a) => /^Move |^Apply the safe hardening set/.test(a.title)).map((a) => a.title),
    [],
  );
  await server.close(uri);
});

// --- breaks-… and weakens-… ----------------------------------------------------------------------

/** The annotated breakage fixtures (test/fixtures/diagnostics/breaks-*): each breaks-/weakens- mark, as the editor shows it. */
function breakageCases(): { name: string; files: string[] }[] {
  const out: { name: string; files: string[] }[] = [];
  for (const entry of readdirSync(DIAGNOSTIC_FIXTURES).sort()) {
    if (!entry.startsWith('breaks-generic-')) continue;
    const dir = join(DIAGNOSTIC_FIXTURES, entry);
    if (!statSync(dir).isDirectory()) continue;
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const n of readdirSync(d).sort()) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(dir);
    out.push({ name: entry, files });
  }
  return out;
}

test('breaks-… and weakens-… are warnings on the offending line, in the file that has it, whatever file is being edited', async () => {
  const cases = breakageCases();
  assert.ok(cases.length >= 5, `${cases.length} breakage fixtures`);
  const wrong: string[] = [];
  let seen = 0;
  for (const c of cases) {
    const dir = join(tmp, 'breakage', c.name);
    cpSync(join(DIAGNOSTIC_FIXTURES, c.name), dir, { recursive: true });
    for (const f of c.files) {
      const path = join(dir, f.slice(join(DIAGNOSTIC_FIXTURES, c.name).length + 1));
      const text = readFileSync(path, 'utf8');
      const expected = readExpectations(text).expected.filter((e) => /^(breaks-|weakens-)/.test(e.code));
      const uri = fileUri(path);
      const mark = server.mark();
      await server.open(uri, text);
      const ds = await server.diagnostics(uri, () => true, `diagnostics of ${c.name}/${basename(path)}`, mark);
      for (const e of expected) {
        seen++;
        const d = ds.find(
          (x) => x.code === e.code && x.range.start.line === e.line && x.range.start.character === e.start,
        );
        if (!d) wrong.push(`${c.name}/${basename(path)}:${e.line + 1} no ${e.code}`);
        else if (d.severity !== SEVERITY.warning)
          wrong.push(`${c.name}/${basename(path)}:${e.line + 1} ${e.code} has severity ${d.severity}`);
      }
      for (const d of ds.filter((x) => /^(breaks-|weakens-)/.test(String(x.code)))) {
        if (!expected.some((e) => e.code === d.code && e.line === d.range.start.line))
          wrong.push(`${c.name}/${basename(path)}:${d.range.start.line + 1} unexpected ${d.code}`);
      }
      await server.close(uri);
    }
  }
  assert.ok(seen > 0, 'the fixtures mark breaks-/weakens- findings');
  assert.deepEqual(wrong, []);
});
