/**
 * Tier "UI smoke": the real workbench of code-server 4.100.3 in Debian's chromium, driven with
 * playwright-core like a user would: open nginx.service from the explorer, language mode, squiggle,
 * Problems panel, hover, Ctrl+. and Enter on a sandbox diagnostic, the squiggle goes and the status
 * bar shows the exposure the fix predicted. Every step waits on a selector or an event, never a
 * fixed sleep. Screenshots of each step: .test-artifacts/ui/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { descriptionOf, FIXED_LINE, prose, WEAK_LINE } from './spec';
import { goTo as goToIn, lineOnDisk, openFromExplorer, waitForFile, workbenchReady, workbenchSession } from './workbench';

const SQUIGGLE_CLASSES = '.squiggly-error, .squiggly-warning, .squiggly-info';

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

const session = workbenchSession('ui');
const { step } = session;
const shot = (name: string): Promise<void> => session.shot(name);

step('the workbench is ready (editor part, explorer rows)', async () => {
  await workbenchReady(session.page);
}, { gate: true });

step('nginx.service opens from the explorer', async () => {
  await openFromExplorer(session.page, 'nginx.service', 'ExecStart=');
}, { gate: true });

step('the language mode is "systemd unit"', async () => {
  const { page } = session;
  // The editor can open as Plain Text and switch once the extension host has registered the language.
  await page.locator('#status\\.editor\\.mode', { hasText: 'systemd unit' }).waitFor();
});

step(`a squiggle marks ${WEAK_LINE} in nginx.service`, async () => {
  const { page } = session;
  await page.waitForFunction(squiggleOnWeakLine("=== 'squiggle'"));
});

let sandboxRow = '';
step('the Problems panel lists a sandbox diagnostic (message ending in → X.Y)', async () => {
  const { page } = session;
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor();
  const row = page.locator(PROBLEM_ROWS, { hasText: SANDBOX_ROW }).first();
  await row.waitFor();
  sandboxRow = (await row.innerText()).replace(/\s+/g, ' ').trim();
  assert.match(sandboxRow, /\[Ln \d+, Col \d+\]/, `row text: ${sandboxRow}`);
});

step('hover on ExecStart shows the directive description', async () => {
  const { page } = session;
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

const lineOf = (text: string): number => lineOnDisk(session.cs, 'nginx.service', text);
const goTo = (line: number, column: number): Promise<void> => goToIn(session.page, line, column);

step(`Ctrl+. then Enter on ${WEAK_LINE} applies the preferred quick fix; the squiggle goes; Ctrl+S saves`, async () => {
  const { page } = session;
  await goTo(lineOf(WEAK_LINE), 1);
  await page.waitForFunction(squiggleOnWeakLine("=== 'squiggle'"));
  await page.keyboard.press('Control+Period');
  const focused = page.locator('.action-widget .monaco-list-row.focused');
  await focused.waitFor();
  const applied = (await focused.innerText()).replace(/\s+/g, ' ').trim();
  await shot('quick-fix-list');
  assert.ok(applied.includes(FIXED_LINE), `the focused (preferred) fix '${applied}' sets ${FIXED_LINE}`);
  // Enter, not a click: the context view's pointer block intercepts clicks on the rows.
  await page.keyboard.press('Enter');
  await page.locator('.action-widget').waitFor({ state: 'hidden' });
  await page.locator('.part.editor .view-lines', { hasText: FIXED_LINE }).waitFor();
  await page.waitForFunction(squiggleOnWeakLine("=== 'clean'") + ' || ' + squiggleOnWeakLine("=== 'no-line'"));
  await page.keyboard.press('Control+S');
  await waitForFile(join(session.cs.workspace, 'nginx.service'), (t) => t.split('\n').includes(FIXED_LINE), `nginx.service saved with ${FIXED_LINE}`);
});

step('Ctrl+. then Enter on [Service] applies its first fix; the status bar shows the exposure that fix predicted', async () => {
  const { page } = session;
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
