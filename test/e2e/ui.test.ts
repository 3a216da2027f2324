/**
 * Tier "UI smoke": the real workbench of code-server 4.100.3 in Debian's chromium, driven with
 * playwright-core like a user would: open nginx.service from the explorer, language mode, squiggle,
 * Problems panel, hover, Ctrl+. and Enter on a sandbox diagnostic, the squiggle goes and the status
 * bar shows the exposure the fix predicted. Every step waits on a selector or an event, never a
 * fixed sleep. Screenshots of each step: .test-artifacts/ui/.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { artifacts, developmentPayload, launchBrowser, newPage, requireBuild, skipUnlessSetUp, startCodeServer, workbenchUrl, type CodeServer } from './driver';
import { descriptionOf, prose } from './spec';

const STEP_MS = 45_000;
const SQUIGGLE_CLASSES = '.squiggly-error, .squiggly-warning, .squiggly-info';
/** The unit's one weak sandboxing line: a sandbox diagnostic sits on it, its preferred fix is ProtectSystem=strict. */
const WEAK_LINE = 'ProtectSystem=full';

/**
 * In-page script (a string, so no transpiler helper leaks into it): whether the editor line with
 * exactly this text carries a squiggle. Monaco draws decorations in `.view-overlays`, one div per
 * visible line, at the same `top` as the line's `.view-line`.
 */
const SQUIGGLE_STATE = `(lineText, squiggles) => {
  const editor = document.querySelector('.part.editor .monaco-editor');
  if (!editor) return null;
  const line = [...editor.querySelectorAll('.view-lines .view-line')].find((l) => (l.textContent || '').replace(/\\u00a0/g, ' ') === lineText);
  if (!line) return 'no-line';
  const overlay = [...editor.querySelectorAll('.view-overlays > div')].find((d) => d.style.top === line.style.top);
  return overlay && overlay.querySelector(squiggles) ? 'squiggle' : 'clean';
}`;
const squiggleOnWeakLine = (want: string): string => `(${SQUIGGLE_STATE})(${JSON.stringify(WEAK_LINE)}, ${JSON.stringify(SQUIGGLE_CLASSES)}) ${want}`;
const PROBLEM_ROWS = '.markers-panel .monaco-list-row';
/** A Problems row of a sandbox diagnostic: the message ends in "→ X.Y", then source, code and [Ln, Col]. */
const SANDBOX_ROW = /→ \d+\.\d/;
/** The status bar item of the extension: "$(shield) 8.9 EXPOSED". */
const EXPOSURE = /(\d+\.\d) [A-Z]+/;

const SKIP = skipUnlessSetUp('vscode');
let cs: CodeServer;
let browser: Browser;
let page: Page;
let shots: string;
let shotNo = 0;
let gateFailed: string | null = null;
const log: string[] = [];

async function shot(name: string): Promise<void> {
  shotNo++;
  await page.screenshot({ path: join(shots, `${String(shotNo).padStart(2, '0')}-${name}.png`) }).catch(() => {});
}

/** A UI step; when a step every later one needs (workbench, the open unit) failed, the rest fail at once. */
function step(name: string, fn: () => Promise<void>, opts: { gate?: boolean } = {}): void {
  test(name, { timeout: STEP_MS * 3, skip: SKIP }, async () => {
    if (gateFailed) assert.fail(`not run: an earlier step failed (${gateFailed})`);
    try {
      await fn();
      await shot(name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
    } catch (e) {
      await shot(`FAILED-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
      if (opts.gate) gateFailed = name;
      throw e;
    }
  });
}

before(async () => {
  if (SKIP) return;
  requireBuild();
  shots = artifacts('ui');
  cs = await startCodeServer('ui');
  browser = await launchBrowser();
  page = await newPage(browser);
  page.setDefaultTimeout(STEP_MS);
  page.on('console', (m) => log.push(`[${m.type()}] ${m.text()}`));
  // The extension is loaded from this repository folder, as in the extension-host tier (no VSIX).
  await page.goto(workbenchUrl(cs, developmentPayload(cs, false)));
});

after(async () => {
  await browser?.close().catch(() => {});
  await cs?.stop();
  if (cs) {
    writeFileSync(join(shots, 'code-server.log'), cs.output());
    writeFileSync(join(shots, 'browser-console.log'), log.join('\n') + '\n');
    rmSync(cs.dir, { recursive: true, force: true });
  }
});

step('the workbench is ready (editor part, explorer rows)', async () => {
  await page.locator('.monaco-workbench .part.editor').waitFor();
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
}, { gate: true });

step('nginx.service opens from the explorer', async () => {
  // By the label: the row also shows decorations (a problem count) once diagnostics arrive.
  const label = page.locator('.label-name', { hasText: /^nginx\.service$/ });
  await page.locator('.explorer-folders-view .monaco-list-row', { has: label }).click();
  await page.locator('.monaco-editor .view-lines', { hasText: 'ExecStart=' }).waitFor();
}, { gate: true });

step('the language mode is "systemd unit"', async () => {
  // The editor can open as Plain Text and switch once the extension host has registered the language.
  await page.locator('#status\\.editor\\.mode', { hasText: 'systemd unit' }).waitFor();
});

step('a squiggle marks ProtectSystem=full in nginx.service', async () => {
  await page.waitForFunction(squiggleOnWeakLine("=== 'squiggle'"));
});

let sandboxRow = '';
step('the Problems panel lists a sandbox diagnostic (message ending in → X.Y)', async () => {
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor();
  const row = page.locator(PROBLEM_ROWS, { hasText: SANDBOX_ROW }).first();
  await row.waitFor();
  sandboxRow = (await row.innerText()).replace(/\s+/g, ' ').trim();
  assert.match(sandboxRow, /\[Ln \d+, Col \d+\]/, `row text: ${sandboxRow}`);
});

step('hover on ExecStart shows the directive description', async () => {
  const token = page.locator('.monaco-editor .view-line span span', { hasText: /^ExecStart$/ }).first();
  await token.waitFor();
  const box = await token.boundingBox();
  assert.ok(box, 'the ExecStart token has no box');
  const want = prose(descriptionOf('ExecStart'));
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(
    `[...document.querySelectorAll('.monaco-hover')].some((h) => (h.textContent || '').replace(/\\s+/g, ' ').includes(${JSON.stringify(want)}))`,
  );
  await page.mouse.move(5, 5);
});

/** 1-based line number of a line of the workspace's nginx.service as it is on disk. */
function lineOf(text: string): number {
  const n = readFileSync(join(cs.workspace, 'nginx.service'), 'utf8').split('\n').indexOf(text) + 1;
  assert.ok(n > 0, `no line '${text}' in nginx.service`);
  return n;
}

/** Puts the cursor at line:column with Ctrl+G, which also reveals the line and focuses the editor. */
async function goTo(line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Resolves when the file's text satisfies `ok`, re-read on every change of its folder (fs.watch), bounded. */
function waitForFile(path: string, ok: (text: string) => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const read = (): string => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return '';
      }
    };
    const watcher = watch(dirname(path), () => {
      if (ok(read())) done();
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`timed out after ${STEP_MS} ms waiting for ${what}; ${path} now:\n${read()}`));
    }, STEP_MS);
    const done = (): void => {
      watcher.close();
      clearTimeout(timer);
      resolve();
    };
    if (ok(read())) done();
  });
}

step('Ctrl+. then Enter on ProtectSystem=full applies the preferred quick fix; the squiggle goes; Ctrl+S saves', async () => {
  await goTo(lineOf(WEAK_LINE), 1);
  await page.waitForFunction(squiggleOnWeakLine("=== 'squiggle'"));
  await page.keyboard.press('Control+Period');
  const focused = page.locator('.action-widget .monaco-list-row.focused');
  await focused.waitFor();
  const applied = (await focused.innerText()).replace(/\s+/g, ' ').trim();
  await shot('quick-fix-list');
  assert.match(applied, /ProtectSystem=strict/, 'the focused (preferred) fix');
  // Enter, not a click: the context view's pointer block intercepts clicks on the rows.
  await page.keyboard.press('Enter');
  await page.locator('.action-widget').waitFor({ state: 'hidden' });
  await page.locator('.part.editor .view-lines', { hasText: 'ProtectSystem=strict' }).waitFor();
  await page.waitForFunction(squiggleOnWeakLine("=== 'clean'") + ' || ' + squiggleOnWeakLine("=== 'no-line'"));
  await page.keyboard.press('Control+S');
  await waitForFile(join(cs.workspace, 'nginx.service'), (t) => /^ProtectSystem=strict$/m.test(t), 'nginx.service saved with ProtectSystem=strict');
});

step('Ctrl+. then Enter on [Service] applies its first fix; the status bar shows the exposure that fix predicted', async () => {
  const status = page.locator('.statusbar-item', { hasText: EXPOSURE }).first();
  await status.waitFor();
  const before = EXPOSURE.exec(await status.innerText())?.[1];
  await goTo(lineOf('[Service]'), 2);
  await page.keyboard.press('Control+Period');
  const focused = page.locator('.action-widget .monaco-list-row.focused');
  await focused.waitFor();
  const title = (await focused.innerText()).replace(/\s+/g, ' ').trim();
  await shot('quick-fix-list-service');
  const predicted = [...title.matchAll(/→ (\d+\.\d)/g)].pop()?.[1];
  assert.ok(predicted, `the focused fix '${title}' names no predicted exposure`);
  assert.notEqual(predicted, before, `the first fix '${title}' predicts no change from ${before}`);
  await page.keyboard.press('Enter');
  await page.locator('.action-widget').waitFor({ state: 'hidden' });
  await page.locator('.statusbar-item', { hasText: new RegExp(`(^|\\s)${predicted.replace('.', '\\.')} [A-Z]+\\b`) }).first().waitFor();
});
