// Accessibility audit of every dashboard page with axe-core's WCAG 2 A/AA
// rules, in light and dark, in real Chromium against the headless relay.
// axe is evaluated through the DevTools protocol (page.evaluate), so the
// relay's strict CSP stays on and is still checked by the page's problem list.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAGES } from '../../renderer/app/page-list.js';
import { launchChromium, openDashboard, signIn, type DashboardPage } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import { registerSuiteHooks } from './support/suite-hooks.js';
import { SimControl } from './support/sim-control.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG2_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Finding {
  rule: string;
  impact: string | null;
  targets: string[];
}

/** axe's WCAG 2 A/AA violations on the page as it is now, one line per element. */
async function audit(page: Page): Promise<Finding[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (globalThis as unknown as {
      axe: { run(o: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> };
    }).axe;
    // No context argument: axe audits the whole document.
    const result = await axe.run({ runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ rule: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, WCAG2_TAGS);
}

let env: E2eEnvironment;
let browser: Browser;
const opened: DashboardPage[] = [];

describe('accessibility (axe-core, WCAG 2 A/AA)', () => {
  beforeAll(async () => {
    [env, browser] = await Promise.all([startE2eEnvironment(), launchChromium()]);
    // A live call, so the active-calls table and the overview's figures have rows to audit.
    const sim = new SimControl(env.sim.url);
    const callId = await sim.call({ action: 'place', from: '+441632960177' });
    await sim.call({ action: 'answer', callId });
  });

  registerSuiteHooks({ opened, browser: () => browser, env: () => env });

  for (const scheme of ['light', 'dark'] as const) {
    it(`finds no violation on the sign-in page and on every page, ${scheme}`, async () => {
      const d = await openDashboard(browser, env.relay.url, { colorScheme: scheme });
      opened.push(d);
      const { page } = d;
      await page.goto('/');
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      const findings: Record<string, Finding[]> = { login: await audit(page) };

      await signIn(page, 'admin', env.adminPassword);
      for (const entry of PAGES.filter((p) => !p.desktopOnly)) {
        await page.goto(`/#/${entry.id}`);
        await page.getByRole('heading', { level: 1, name: new RegExp(entry.label) }).waitFor();
        // Let the page's first data arrive (tables, charts, badges) before auditing it.
        await page.waitForLoadState('networkidle').catch(() => {});
        await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
        if (entry.id === 'overview') await page.getByRole('figure').first().waitFor();
        await page.waitForTimeout(300);
        findings[entry.id] = await audit(page);
      }
      const violations = Object.fromEntries(Object.entries(findings).filter(([, f]) => f.length > 0));
      expect(violations).toEqual({});
    });
  }
});
