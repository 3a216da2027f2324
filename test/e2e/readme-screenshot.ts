/**
 * Takes the README's screenshot (docs/images/workbench.png) in the real workbench: nginx.service
 * with its hints, the hover on ProtectProc=noaccess (the hint with its predicted exposure and the
 * directive's text), the status bar's exposure, and below it the quick-fix list of [Service], where
 * "Harden this unit…" comes first. Not a test; run it by hand
 * after a change that shows in the editor:
 *   npm run build && node --import tsx test/e2e/readme-screenshot.ts
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { developmentPayload, launchBrowser, ROOT, startCodeServer, workbenchUrl } from './driver';
import { goTo, lineOnDisk, openFromExplorer, workbenchReady } from './workbench';

const OUT = join(ROOT, 'docs', 'images', 'workbench.png');
const VIEW = { width: 1100, height: 620 };

async function main(): Promise<void> {
  const cs = await startCodeServer('readme');
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: VIEW });
    page.setDefaultTimeout(60_000);
    await page.goto(workbenchUrl(cs, developmentPayload(cs, false)));
    await workbenchReady(page);
    await openFromExplorer(page, 'nginx.service', 'ExecStart=');
    await page
      .locator('.statusbar-item', { hasText: /\d+\.\d [A-Z]+/ })
      .first()
      .waitFor();
    await page.locator('.part.editor .squiggly-hint').first().waitFor();
    const line = lineOnDisk(cs, 'nginx.service', 'ProtectProc=noaccess');
    const header = lineOnDisk(cs, 'nginx.service', '[Service]');
    await goTo(page, line, 1);

    // The hover over the hint: the diagnostic with its predicted exposure, then the directive's text.
    const token = page.locator('.part.editor .view-line span span', { hasText: /^ProtectProc$/ }).first();
    const box = await token.boundingBox();
    if (!box) throw new Error('no ProtectProc token on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('.monaco-hover:visible', { hasText: '→' }).first().waitFor();
    // The hover fades in: wait until it is fully opaque before the picture.
    await page.waitForFunction(
      `[...document.querySelectorAll('.monaco-hover')].some((h) => h.offsetParent && getComputedStyle(h.closest('.monaco-resizable-hover') || h).opacity === '1')`,
    );
    const hover = await page.screenshot();

    // Park the mouse on the editor's empty area below the last line (no hover, no tooltip there).
    await page.mouse.move(VIEW.width - 200, VIEW.height - 60);
    await page
      .locator('.monaco-hover:visible')
      .first()
      .waitFor({ state: 'hidden' })
      .catch(() => {});
    await goTo(page, header, 2);
    await page.keyboard.press('Control+Period');
    const list = page.locator('.action-widget');
    await list.locator('.monaco-list-row.focused').waitFor();
    const listBox = await list.boundingBox();
    if (!listBox) throw new Error('the quick-fix list has no box');
    const top = Math.max(0, listBox.y - 60);
    const left = Math.max(0, listBox.x - 12);
    const fixes = await page.screenshot({
      clip: {
        x: left,
        y: top,
        width: Math.min(VIEW.width - left, listBox.width + 24),
        height: Math.min(VIEW.height - top, listBox.height + 72),
      },
    });

    // Both pictures, one above the other, drawn by the browser into one PNG.
    const sheet = await browser.newPage({ viewport: { width: VIEW.width, height: 100 } });
    await sheet.setContent(
      `<body style="margin:0;background:#fff"><div id="s" style="display:inline-block;line-height:0">` +
        `<img src="data:image/png;base64,${hover.toString('base64')}" style="display:block"/>` +
        `<div style="height:6px;background:#d0d7de"></div>` +
        `<img src="data:image/png;base64,${fixes.toString('base64')}" style="display:block"/></div></body>`,
    );
    mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
    await sheet.locator('#s').screenshot({ path: OUT });
    console.log(`wrote ${OUT} (${(statSync(OUT).size / 1024).toFixed(0)} KB)`);
  } finally {
    await browser.close().catch(() => {});
    await cs.stop();
    rmSync(cs.dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
