/**
 * Tier "UI client": the client's own pieces in the real workbench (code-server 4.100.3 in chromium):
 * the check table opens from the status bar as a markdown preview, follows edits of the unit, and
 * closes without asking to save; the "Unit Exposure" view has its own activity-bar container; the
 * "systemd Hardening" output channel shows the start-up lines; a row of the view offers "Harden This
 * Unit…" (preview, then Cancel writes nothing); "Move ... into hardening.conf" from
 * the Refactor menu opens the drop-in it creates. Screenshots: .test-artifacts/ui-client/.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  goTo,
  lineOnDisk,
  openFromExplorer,
  runCommand,
  STEP_MS,
  webviewText,
  workbenchReady,
  workbenchSession,
} from './workbench';

const session = workbenchSession('ui-client');
const { step } = session;
const EXPOSURE = /(\d+\.\d) [A-Z]+/;
const OVERALL = /Overall exposure: (\d+\.\d) [A-Z]+/;
const PREVIEW_TAB = /Preview nginx\.service exposure/;

step(
  'the workbench is ready and nginx.service is open',
  async () => {
    await workbenchReady(session.page);
    await openFromExplorer(session.page, 'nginx.service', 'ExecStart=');
  },
  { gate: true },
);

let overallBefore = '';
step(
  'a click on the exposure in the status bar opens the check table as a markdown preview beside the unit',
  async () => {
    const { page } = session;
    const status = page.locator('.statusbar-item', { hasText: EXPOSURE }).first();
    await status.waitFor();
    const shown = EXPOSURE.exec(await status.innerText())?.[1];
    await status.click();
    await page.locator('.tabs-container .tab', { hasText: PREVIEW_TAB }).waitFor();
    const text = await webviewText(page, OVERALL, 'the preview to show the overall exposure');
    overallBefore = OVERALL.exec(text)?.[1] ?? '';
    assert.equal(overallBefore, shown, 'the table and the status bar disagree');
    assert.match(text, /ProtectSystem/, 'the table lists the checks');
    assert.equal(
      await page.locator('.tabs-container .tab', { hasText: /Untitled/ }).count(),
      0,
      'an untitled editor was opened',
    );
  },
  { gate: true },
);

step('an edit of the unit that changes its exposure updates the preview', async () => {
  const { page } = session;
  await page
    .locator('.tabs-container .tab', { hasText: /^nginx\.service/ })
    .first()
    .click();
  await goTo(page, lineOnDisk(session.cs, 'nginx.service', '[Service]') + 1, 1);
  await page.keyboard.insertText('PrivateDevices=yes\nPrivateNetwork=yes\n');
  await page.locator('.part.editor .view-lines', { hasText: 'PrivateNetwork=yes' }).first().waitFor();
  const text = await webviewText(
    page,
    new RegExp(`Overall exposure: (?!${overallBefore.replace('.', '\\.')} )\\d+\\.\\d`),
    `the preview's overall exposure to change from ${overallBefore}`,
  );
  const after = OVERALL.exec(text)?.[1];
  assert.ok(Number(after) < Number(overallBefore), `${overallBefore} → ${after}`);
});

step('closing the preview asks nothing (no dirty buffer) and closes it', async () => {
  const { page } = session;
  const tab = page.locator('.tabs-container .tab', { hasText: PREVIEW_TAB });
  await tab.click();
  await tab.locator('.tab-actions .codicon-close').click();
  await tab.waitFor({ state: 'detached' });
  assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'a dialog opened');
});

step('the Unit Exposure view has its own activity-bar container with the shield icon, ranking the units', async () => {
  const { page } = session;
  const container = page
    .locator('.part.activitybar .action-item', { has: page.locator('[aria-label^="systemd Hardening"]') })
    .first();
  await container.waitFor();
  await container.click();
  // Alone in its container, the view has no pane header: the sidebar's title names it.
  await page.locator('.part.sidebar .composite.title', { hasText: /Unit Exposure/i }).waitFor();
  const row = page.locator('.part.sidebar .monaco-list-row', { hasText: 'nginx.service' }).first();
  await row.waitFor();
  assert.match(await row.innerText(), EXPOSURE, 'the row shows the exposure and band');
});

step(
  'a row of the Unit Exposure view offers "Harden This Unit…": the preview shows the recommended drop-in, Cancel writes nothing',
  async () => {
    const { page } = session;
    // First the unit as it ships: the edit above (PrivateNetwork=yes) would cut nginx off the network, and
    // no drop-in is recommended for a unit that breaks its own service.
    await page
      .locator('.tabs-container .tab', { hasText: /^nginx\.service/ })
      .first()
      .click();
    await page.locator('.part.editor .monaco-editor textarea').first().focus();
    for (
      let i = 0;
      i < 5 && (await page.locator('.part.editor .view-lines', { hasText: 'PrivateNetwork=yes' }).count()) > 0;
      i++
    )
      await page.keyboard.press('Control+Z');
    await page
      .locator('.part.editor .view-lines', { hasText: 'PrivateNetwork=yes' })
      .first()
      .waitFor({ state: 'detached' });
    const row = page.locator('.part.sidebar .monaco-list-row', { hasText: 'nginx.service' }).first();
    await row.hover();
    await row.locator('.action-label[aria-label="Harden This Unit…"]').click();
    const text = await webviewText(page, /Exposure \d+\.\d [A-Z]+ → \d+\.\d [A-Z]+/, 'the harden preview');
    assert.match(text, /Harden nginx\.service/);
    assert.match(text, /Profile: nginx web server/);
    assert.match(text, /Left open/);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    await session.shot('harden-from-the-view');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(
      existsSync(join(session.cs.workspace, 'nginx.service.d', 'hardening.conf')),
      false,
      'Cancel wrote hardening.conf',
    );
  },
);

step('"systemd Hardening: Show Output" shows the output channel with the start-up lines', async () => {
  const { page } = session;
  await runCommand(page, 'systemd Hardening: Show Output');
  const output = page.locator('.part.panel .view-lines', { hasText: 'Target systemd version' });
  await output.waitFor();
  const text = (await output.innerText()).replace(/\u00a0/g, ' ');
  assert.match(text, /systemd Hardening \d+\.\d+\.\d+/);
  assert.match(text, /Language server: \S*dist\/server\.js/);
});

step(
  '"Harden This Unit…" from the command palette writes hardening.conf (the recommended drop-in) and opens it',
  async () => {
    const { page } = session;
    await page
      .locator('.tabs-container .tab', { hasText: /^nginx\.service/ })
      .first()
      .click();
    await runCommand(page, 'systemd Hardening: Harden This Unit…');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    await dialog.locator('.monaco-button', { hasText: 'Write hardening.conf' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.tabs-container .tab.active', { hasText: 'hardening.conf' }).waitFor();
    await page
      .locator('.part.editor .view-lines', { hasText: /\[Service\][\s\S]*ProtectSystem=strict/ })
      .first()
      .waitFor();
  },
);

step('Refactor... "Move N sandboxing settings into .../hardening.conf" opens hardening.conf', async () => {
  const { page } = session;
  await page
    .locator('.tabs-container .tab', { hasText: /^nginx\.service/ })
    .first()
    .click();
  await page.locator('.tabs-container .tab.active', { hasText: /^nginx\.service/ }).waitFor();
  await goTo(page, lineOnDisk(session.cs, 'nginx.service', '[Service]'), 2);
  await runCommand(page, 'Refactor...');
  const move = /Move \d+ sandboxing settings? into \S*hardening\.conf/;
  await page.locator('.action-widget .monaco-list-row', { hasText: move }).first().waitFor();
  const focused = page.locator('.action-widget .monaco-list-row.focused');
  for (let i = 0; i < 20 && !move.test(await focused.innerText().catch(() => '')); i++)
    await page.keyboard.press('ArrowDown');
  assert.match(await focused.innerText(), move, 'the Move action is not focusable in the Refactor list');
  await session.shot('refactor-list');
  await page.keyboard.press('Enter');
  // nginx.service was the active tab: the fix's command brings hardening.conf (open since the step before) to the front.
  await page.locator('.tabs-container .tab.active', { hasText: 'hardening.conf' }).waitFor({ timeout: STEP_MS });
  // The moved lines go at the end of the drop-in, below the recommended one written in the step before.
  await page.locator('.part.editor .monaco-editor textarea').first().focus();
  await page.keyboard.press('Control+End');
  await page.locator('.part.editor .view-lines', { hasText: 'PrivateTmp=true' }).first().waitFor();
});
