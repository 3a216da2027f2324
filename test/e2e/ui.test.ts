/**
 * Tier "UI smoke": the real workbench of code-server 4.100.3 in Debian's chromium, driven with
 * playwright-core like a user would: open nginx.service from the explorer, language mode, the sandbox
 * hint on the weak line, the exposure summary in the Problems panel, hover, Ctrl+. and Enter on the
 * weak line (its fix goes in, the hint goes), then "Harden this unit…" from Ctrl+. on [Service]: the
 * preview beside, the dialog with the exposure before → after, hardening.conf written and opened, the
 * status bar at the predicted exposure. Every step waits on a selector or an event, never a fixed
 * sleep. Screenshots of each step: .test-artifacts/ui/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { descriptionOf, FIXED_LINE, prose, WEAK_LINE } from './spec';
import {
  goTo as goToIn,
  lineOnDisk,
  openFromExplorer,
  waitForFile,
  workbenchReady,
  workbenchSession,
} from './workbench';

// Sandbox diagnostics are hints by default: Monaco marks them with a few dots (squiggly-hint).
const SQUIGGLE_CLASSES = '.squiggly-error, .squiggly-warning, .squiggly-info, .squiggly-hint';

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
const squiggleOnWeakLine = (want: string): string =>
  `(${SQUIGGLE_STATE})(${JSON.stringify(WEAK_LINE)}, ${JSON.stringify(SQUIGGLE_CLASSES)}) ${want}`;
const PROBLEM_ROWS = '.markers-panel .monaco-list-row';
/** The Problems row of the exposure summary (hints, the sandbox diagnostics, are not listed there). */
const SUMMARY_ROW =
  /nginx\.service: exposure \d+\.\d [A-Z]+ in the file, \d+\.\d [A-Z]+ once running; the recommended drop-in brings it to \d+\.\d [A-Z]+/;
const SANDBOX_ROW = /→ \d+\.\d/;

const session = workbenchSession('ui');
const lineOf = (text: string): number => lineOnDisk(session.cs, 'nginx.service', text);
const goTo = (line: number, column: number): Promise<void> => goToIn(session.page, line, column);
const { step } = session;
const shot = (name: string): Promise<void> => session.shot(name);

step(
  'the workbench is ready (editor part, explorer rows)',
  async () => {
    await workbenchReady(session.page);
  },
  { gate: true },
);

step(
  'nginx.service opens from the explorer',
  async () => {
    await openFromExplorer(session.page, 'nginx.service', 'ExecStart=');
  },
  { gate: true },
);

step('the language mode is "systemd unit"', async () => {
  const { page } = session;
  // The editor can open as Plain Text and switch once the extension host has registered the language.
  await page.locator('#status\\.editor\\.mode', { hasText: 'systemd unit' }).waitFor();
});

step(`a hint marks ${WEAK_LINE} in nginx.service (sandbox diagnostics are hints)`, async () => {
  const { page } = session;
  await page.waitForFunction(squiggleOnWeakLine("=== 'squiggle'"));
});

step('the Problems panel lists the exposure summary on [Service], and no sandbox hint', async () => {
  const { page } = session;
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor();
  const row = page.locator(PROBLEM_ROWS, { hasText: SUMMARY_ROW }).first();
  await row.waitFor();
  const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
  assert.match(text, new RegExp(`exposure-summary \\[Ln ${lineOf('[Service]')}, Col 2\\]`), `row text: ${text}`);
  assert.equal(
    await page.locator(PROBLEM_ROWS, { hasText: SANDBOX_ROW }).count(),
    0,
    'a sandbox diagnostic (a hint) is listed in the Problems panel',
  );
});

step('hover on ExecStart shows the directive description', async () => {
  const { page } = session;
  const want = prose(descriptionOf('ExecStart'));
  const shown = `[...document.querySelectorAll('.monaco-hover')].some((h) => (h.textContent || '').replace(/\\s+/g, ' ').includes(${JSON.stringify(want)}))`;
  // The Problems panel of the step before covers the lower part of the editor: close it (Ctrl+J
  // toggles the panel) and put the cursor on the line, which scrolls it into view.
  await page.keyboard.press('Control+J');
  await page.locator('.part.panel').waitFor({ state: 'hidden' });
  await goTo(lineOf("ExecStart=/usr/sbin/nginx -g 'daemon on; master_process on;'"), 1);
  const token = page.locator('.monaco-editor .view-line span span', { hasText: /^ExecStart$/ }).first();
  await token.waitFor();
  // A pointer that lands on anything but the token (a toast, a half-drawn line) shows no hover: hover
  // where the token is drawn, and move again if nothing shows.
  const seen: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const box = await token.boundingBox();
    assert.ok(box, 'the ExecStart token has no box');
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    seen.push(
      String(
        await page.evaluate(
          `(() => { const e = document.elementFromPoint(${x}, ${y}); return e ? e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40) : 'nothing'; })()`,
        ),
      ),
    );
    await page.mouse.move(5, 5);
    await page.mouse.move(x, y, { steps: 4 });
    const ok = await page.waitForFunction(shown, undefined, { timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (ok) {
      await page.mouse.move(5, 5);
      return;
    }
  }
  const hovers = await page.evaluate(
    `[...document.querySelectorAll('.monaco-hover')].map((h) => (h.textContent || '').slice(0, 200))`,
  );
  assert.fail(
    `no hover with the description after 3 moves; under the pointer: ${seen.join(' | ')}; hovers: ${JSON.stringify(hovers)}`,
  );
});

step(
  `Ctrl+. then Enter on ${WEAK_LINE} applies its quick fix, whose title says what it may break; the hint goes; Ctrl+S saves`,
  async () => {
    const { page } = session;
    await goTo(lineOf(WEAK_LINE), 1);
    await page.waitForFunction(squiggleOnWeakLine("=== 'squiggle'"));
    await page.keyboard.press('Control+Period');
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    await focused.waitFor();
    const applied = (await focused.innerText()).replace(/\s+/g, ' ').trim();
    await shot('quick-fix-list');
    assert.ok(applied.includes(FIXED_LINE), `the focused fix '${applied}' sets ${FIXED_LINE}`);
    assert.match(
      applied,
      /may break the service: /,
      'ProtectProc= is outside the safe set: the title says what it may break',
    );
    // Enter, not a click: the context view's pointer block intercepts clicks on the rows.
    await page.keyboard.press('Enter');
    await page.locator('.action-widget').waitFor({ state: 'hidden' });
    await page.locator('.part.editor .view-lines', { hasText: FIXED_LINE }).waitFor();
    await page.waitForFunction(squiggleOnWeakLine("=== 'clean'") + ' || ' + squiggleOnWeakLine("=== 'no-line'"));
    await page.keyboard.press('Control+S');
    await waitForFile(
      join(session.cs.workspace, 'nginx.service'),
      (t) => t.split('\n').includes(FIXED_LINE),
      `nginx.service saved with ${FIXED_LINE}`,
    );
  },
);

step(
  'Ctrl+. then Enter on [Service] runs "Harden this unit…": preview beside, the dialog gives the exposure before → after, Write creates nginx.service.d/hardening.conf and opens it; the status bar shows the predicted exposure',
  async () => {
    const { page } = session;
    const dropin = join(session.cs.workspace, 'nginx.service.d', 'hardening.conf');
    assert.throws(() => readFileSync(dropin), 'hardening.conf exists before the command');
    await goTo(lineOf('[Service]'), 2);
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    // Right after the save of the step before, the first Ctrl+. once came back empty ("No code actions
    // available", a CI run): new diagnostics arriving while the list is asked for cancel it. The save made
    // the server publish the same diagnostics again and postpone the summary's recommendation
    // (test/lsp/save.test.ts holds that fixed), but the summary still gains the recommendation's figure
    // about 600 ms after the fix of the step before: ask again, as a user would, up to 4 times.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+Period');
      if (
        await focused.waitFor({ timeout: 10_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      await shot(`no-code-action-${attempt}`);
      assert.ok(attempt < 4, 'no code action on [Service] after 4 tries of Ctrl+.');
      await page.keyboard.press('Escape');
    }
    const title = (await focused.innerText()).replace(/\s+/g, ' ').trim();
    await shot('quick-fix-list-service');
    assert.equal(title, 'Harden this unit…', 'the first action on [Service]');
    await page.keyboard.press('Enter');
    await page.locator('.action-widget').waitFor({ state: 'hidden' });
    // The preview (a read-only markdown document in the markdown preview) opens beside the unit, then the dialog asks.
    await page.locator('.tabs-container .tab', { hasText: 'hardening.md' }).first().waitFor();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    const m =
      /Create (\S+hardening\.conf)\?.*Exposure of nginx\.service: (\d+\.\d) ([A-Z]+) → (\d+\.\d) ([A-Z]+)\./.exec(text);
    assert.ok(m, `dialog text: ${text}`);
    assert.equal(m[1], dropin);
    assert.ok(Number(m[4]) < Number(m[2]), `the drop-in lowers the exposure: ${m[2]} → ${m[4]}`);
    await shot('harden-preview-and-dialog');
    await dialog.locator('.monaco-button', { hasText: 'Write hardening.conf' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await waitForFile(dropin, (t) => /^\[Service\]$/m.test(t), 'hardening.conf written');
    assert.match(readFileSync(dropin, 'utf8'), /^ProtectSystem=strict$/m, "the nginx profile's drop-in");
    await page.locator('.tabs-container .tab.active', { hasText: 'hardening.conf' }).waitFor();
    await page
      .locator('.statusbar-item', { hasText: new RegExp(`(^|\\s)${m[4].replace('.', '\\.')} ${m[5]}\\b`) })
      .first()
      .waitFor();
    await shot('hardening-conf-open');
  },
);
