// The dashboard at a 1920×1080 wall screen and at 1280×720: every page fits
// the width (no horizontal scrolling of the whole page; wide tables scroll
// inside their own box).
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAGES } from '../../renderer/app/page-list.js';
import { launchChromium, openDashboard, signIn, type DashboardPage } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import { registerSuiteHooks } from './support/suite-hooks.js';

const VIEWPORTS = [{ width: 1920, height: 1080 }, { width: 1280, height: 720 }] as const;

let env: E2eEnvironment;
let browser: Browser;
const opened: DashboardPage[] = [];

describe('dashboard viewports', () => {
  beforeAll(async () => {
    [env, browser] = await Promise.all([startE2eEnvironment(), launchChromium()]);
  });

  registerSuiteHooks({ opened, browser: () => browser, env: () => env });

  for (const viewport of VIEWPORTS) {
    it(`fits every page into ${viewport.width}×${viewport.height} without horizontal overflow`, async () => {
      const d = await openDashboard(browser, env.relay.url);
      opened.push(d);
      const { page } = d;
      await page.setViewportSize(viewport);
      await signIn(page, 'admin', env.adminPassword);
      const overflow: Record<string, { scrollWidth: number; innerWidth: number }> = {};
      for (const entry of PAGES.filter((p) => !p.desktopOnly)) {
        await page.goto(`/#/${entry.id}`);
        await page.getByRole('heading', { level: 1, name: new RegExp(entry.label) }).waitFor();
        await page.waitForLoadState('networkidle').catch(() => {});
        await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
        await page.waitForTimeout(200);
        // A string: this file is compiled without DOM types.
        const size = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
          '({ scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth })',
        );
        if (size.scrollWidth > size.innerWidth) overflow[entry.id] = size;
      }
      expect(overflow).toEqual({});
    });
  }
});
