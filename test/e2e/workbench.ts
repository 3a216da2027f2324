/**
 * One UI test file's session with the real workbench: code-server started for it, a chromium page on
 * it with this repository folder loaded as the extension under development (no VSIX), numbered
 * screenshots in .test-artifacts/<name>/, and `step()`, a node:test test that screenshots its outcome.
 * Also the few user gestures the UI tiers share (Ctrl+G, the command palette, the workspace's files).
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  artifacts,
  developmentPayload,
  launchBrowser,
  newPage,
  requireBuild,
  skipUnlessSetUp,
  startCodeServer,
  workbenchUrl,
  type CodeServer,
} from './driver';

export const STEP_MS = 45_000;

export interface Session {
  readonly page: Page;
  readonly cs: CodeServer;
  /** The artifacts folder of this session. */
  readonly shots: string;
  shot(name: string): Promise<void>;
  /** A UI step; when a step every later one needs (workbench, the open unit) failed, the rest fail at once. */
  step(name: string, fn: () => Promise<void>, opts?: { gate?: boolean }): void;
}

/** Registers the before/after hooks of a UI test file and returns its session (usable inside tests). */
export function workbenchSession(name: string, fixture?: string): Session {
  const skip = skipUnlessSetUp('vscode');
  let cs: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let shots = '';
  let shotNo = 0;
  let gateFailed: string | null = null;
  const log: string[] = [];

  const session: Session = {
    get page(): Page {
      assert.ok(page, 'the workbench page is not open');
      return page;
    },
    get cs(): CodeServer {
      assert.ok(cs, 'code-server is not running');
      return cs;
    },
    get shots(): string {
      return shots;
    },
    async shot(label: string): Promise<void> {
      shotNo++;
      await page?.screenshot({ path: join(shots, `${String(shotNo).padStart(2, '0')}-${label}.png`) }).catch(() => {});
    },
    step(title: string, fn: () => Promise<void>, opts: { gate?: boolean } = {}): void {
      test(title, { timeout: STEP_MS * 3, skip }, async () => {
        if (gateFailed) assert.fail(`not run: an earlier step failed (${gateFailed})`);
        const label = title
          .replace(/[^a-z0-9]+/gi, '-')
          .toLowerCase()
          .slice(0, 80);
        try {
          await fn();
          await session.shot(label);
        } catch (e) {
          await session.shot(`FAILED-${label}`);
          if (opts.gate) gateFailed = title;
          throw e;
        }
      });
    },
  };

  before(async () => {
    if (skip) return;
    requireBuild();
    shots = artifacts(name);
    cs = await startCodeServer(name, {}, fixture);
    browser = await launchBrowser();
    page = await newPage(browser);
    page.setDefaultTimeout(STEP_MS);
    page.on('console', (m) => log.push(`[${m.type()}] ${m.text()}`));
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

  return session;
}

/** Waits for the workbench: the editor part and the explorer's rows. */
export async function workbenchReady(page: Page): Promise<void> {
  await page.locator('.monaco-workbench .part.editor').waitFor();
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
}

/** Opens a file of the workspace's root from the explorer, by its label, and waits for its text. */
export async function openFromExplorer(page: Page, file: string, textInside: string): Promise<void> {
  // By the label: the row also shows decorations (a problem count) once diagnostics arrive.
  const label = page.locator('.label-name', { hasText: new RegExp(`^${file.replace(/\./g, '\\.')}$`) });
  await page.locator('.explorer-folders-view .monaco-list-row', { has: label }).click();
  await page.locator('.monaco-editor .view-lines', { hasText: textInside }).waitFor();
}

/** Puts the cursor at line:column with Ctrl+G, which also reveals the line and focuses the editor. */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Runs a command from the command palette (F1) by its full title, e.g. "systemd Hardening: Show Output". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** 1-based line number of a line of a workspace file as it is on disk. */
export function lineOnDisk(cs: CodeServer, file: string, text: string): number {
  const n = readFileSync(join(cs.workspace, file), 'utf8').split('\n').indexOf(text) + 1;
  assert.ok(n > 0, `no line '${text}' in ${file}`);
  return n;
}

/** Resolves when the file's text satisfies `ok`, re-read on every change of its folder (fs.watch), bounded. */
export function waitForFile(path: string, ok: (text: string) => boolean, what: string): Promise<void> {
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

/**
 * The text of the first webview frame (the markdown preview renders in one) that contains `needle`,
 * waited for: webviews are nested iframes, out of reach of the page's own selectors.
 */
export async function webviewText(page: Page, needle: string | RegExp, what: string): Promise<string> {
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    for (const frame of page.frames()) {
      const text = String(await frame.evaluate('document.body ? document.body.innerText : ""').catch(() => ''));
      if (typeof needle === 'string' ? text.includes(needle) : needle.test(text)) return text;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${STEP_MS} ms waiting for ${what}`);
    await page.waitForTimeout(100);
  }
}
