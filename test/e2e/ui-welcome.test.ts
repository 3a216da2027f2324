/**
 * Tier "UI welcome": in a workspace with no service unit, the "Unit Exposure" view (opened from its
 * activity-bar shield) shows its welcome text instead of an empty list. Screenshots: .test-artifacts/ui-welcome/.
 */
import { join } from 'node:path';
import { workbenchSession } from './workbench';

const session = workbenchSession('ui-welcome', join(__dirname, 'fixtures', 'no-units'));

session.step('the Unit Exposure view of a workspace without units shows the welcome text', async () => {
  const { page } = session;
  await page.locator('.monaco-workbench .part.editor').waitFor();
  const container = page
    .locator('.part.activitybar .action-item', { has: page.locator('[aria-label^="systemd Hardening"]') })
    .first();
  await container.click();
  await page.locator('.part.sidebar .composite.title', { hasText: /Unit Exposure/i }).waitFor();
  await page
    .locator('.part.sidebar .welcome-view-content', { hasText: 'No service units in this workspace.' })
    .waitFor();
});
