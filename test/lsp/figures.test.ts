/**
 * Tier "lsp": the running manager's figure beside the file's (issue 14, "Two figures"), over the built
 * server, data-driven (test/fixtures/figures/lsp.json). Where the two figures of the target release
 * print different exposures, the code lens, the summary, the exposureChanged notification, the
 * exposure request and the hover on [Service] give both ("9.4 UNSAFE in the file, 9.2 UNSAFE once
 * running") and why; where they agree, one figure as before. The expected numbers come from the core
 * scoring a model built for each figure (test/unit/figures.test.ts and the stored 252m answers hold
 * those to the real manager).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIGURE_WORDS } from '../../protocol/protocol';
import { score } from '../../server/src/exposure/score';
import { FIGURE_WORDS as CORE_FIGURE_WORDS } from '../../server/src/features/figures';
import type { Figure } from '../../server/src/knowledge/figures';
import { buildUnit } from '../../server/src/model/build';
import { ROOT } from '../helpers';
import { fileUri, LspServer, type Diagnostic, type Exposure } from './client';

interface Case {
  name: string;
  version: string;
  lines: string[];
  both: boolean;
  why?: string;
}
const { cases } = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/figures/lsp.json'), 'utf8')) as { cases: Case[] };

let server: LspServer;
let tmp: string;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sh-figures-lsp-'));
  server = LspServer.start();
  await server.initialize(tmp);
});

after(async () => {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** The overall exposure and band the core gives the unit in one figure, as the editor prints them. */
function figureOf(text: string, path: string, version: number, figure: Figure): string {
  const r = score(buildUnit('web.service', [{ path, text }], { version, figure }), { version });
  return `${r.exposure!.text} ${r.band}`;
}

test('the adapters and the core name the figures alike', () => {
  assert.deepEqual(FIGURE_WORDS, CORE_FIGURE_WORDS);
});

cases.forEach((c, i) => {
  test(`two figures in the editor: ${c.name}`, async () => {
    server.settings = { systemdVersion: c.version };
    await server.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const dir = join(tmp, String(i));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'web.service');
    const text = [
      '[Unit]',
      'Description=web',
      '',
      '[Service]',
      'ExecStart=/usr/bin/web',
      'User=web',
      ...c.lines,
      '',
    ].join('\n');
    writeFileSync(path, text);
    const uri = fileUri(path);
    const version = Number(c.version);
    const offline = figureOf(text, path, version, 'offline');
    const running = figureOf(text, path, version, 'running');
    assert.equal(offline !== running, c.both, `the core: offline ${offline}, running ${running}`);
    const both = `${offline} in the file, ${running} once running`;

    const mark = server.mark();
    await server.open(uri, text);
    const ds = await server.diagnostics(
      uri,
      (d: Diagnostic[]) => d.some((x) => x.code === 'exposure-summary'),
      'the summary',
      mark,
    );
    const summary = ds.find((d) => d.code === 'exposure-summary')!;
    if (c.both) assert.match(summary.message, new RegExp(`^web\\.service: exposure ${both.replace(/\./g, '\\.')}[;.]`));
    else {
      assert.match(summary.message, new RegExp(`^web\\.service: exposure ${offline.replace(/\./g, '\\.')}[;.]`));
      assert.doesNotMatch(summary.message, /once running/);
    }

    const lens = await server.request<Array<{ command: { title: string } }>>('textDocument/codeLens', {
      textDocument: { uri },
    });
    if (c.both) assert.ok(lens[0]!.command.title.startsWith(`Exposure ${both}`), lens[0]!.command.title);
    else
      assert.ok(
        lens[0]!.command.title.startsWith(`Exposure ${offline}`) && !/once running/.test(lens[0]!.command.title),
      );

    const report = await server.request<Exposure | null>('systemdHardening/exposure', { uri });
    assert.equal(report?.figure, 'offline');
    const other = report?.other_figure as { figure: string; exposure: number; band: string; why: string } | undefined;
    if (c.both) {
      assert.equal(`${other?.exposure.toFixed(1)} ${other?.band}`, running);
      assert.equal(other?.figure, 'running');
      assert.match(other!.why, new RegExp(c.why!));
    } else assert.equal(other, undefined);

    const changed = await server.waitFor(
      () => server.exposureChanges.filter((e) => e.uri === uri).pop(),
      'the exposureChanged notification',
    );
    assert.equal(changed.figure, 'offline');
    const otherChanged = changed.otherFigure as { exposure: number; band: string } | undefined;
    if (c.both) assert.equal(`${otherChanged?.exposure.toFixed(1)} ${otherChanged?.band}`, running);
    else assert.equal(otherChanged, undefined);

    const hover = await server.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 3, character: 2 },
    });
    const md = hover?.contents.value ?? '';
    if (c.both) {
      assert.ok(md.includes(`**Exposure ${both}.**`), md);
      assert.match(md, new RegExp(c.why!));
    } else assert.doesNotMatch(md, /once running/);
    await server.close(uri);
  });
});
