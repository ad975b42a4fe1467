// The wallboard against the relay and the simulator's queues: tiles whose
// figures move as callers wait, a fired alert in the banner, screenshots in light and dark
// (test/artifacts/wallboard-*.png). Needs the relay's supervisor routes: when
// `GET /relay/queues` is not there (404) the tests are skipped, saying why.
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openDashboard, signIn, type DashboardPage } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import { registerSuiteHooks } from './support/suite-hooks.js';
import { SimControl } from './support/sim-control.js';

const NO_QUEUES = 'the relay has no GET /relay/queues route (supervisor backend not merged)';

let env: E2eEnvironment;
let browser: Browser;
let servesQueues = false;
const opened: DashboardPage[] = [];

/** The tiles' figure values only (not their age lines, which tick anyway). */
function tileFigures(d: DashboardPage): Promise<string[]> {
  return d.page.locator('.queue-tile .figure-value').allTextContents();
}

describe('wallboard in Chromium', () => {
  beforeAll(async () => {
    [env, browser] = await Promise.all([startE2eEnvironment(), launchChromium()]);
    // Unauthenticated: an existing route answers 401, a missing one 404.
    const probe = await fetch(`${env.relay.url}/relay/queues`);
    servesQueues = probe.status !== 404;
  });

  registerSuiteHooks({ opened, browser: () => browser, env: () => env });

  it('fires an alert from a rule set on the Alerts page', async (ctx) => {
    if (!servesQueues) ctx.skip(NO_QUEUES);
    const d = await openDashboard(browser, env.relay.url);
    opened.push(d);
    const { page } = d;
    await signIn(page, 'admin', env.adminPassword);
    await page.goto('/#/alerts');
    await page.getByRole('button', { name: 'New rule' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Short-staffed');
    await dialog.getByLabel('Kind').selectOption('agents_available');
    // Fewer than 1000 agents available: true for every queue, so it fires at once.
    await dialog.getByLabel('Threshold (agents)').fill('1000');
    await dialog.getByLabel('Cool-down (seconds)').fill('0');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await page.getByRole('cell', { name: 'Short-staffed', exact: true }).waitFor();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`shows the queues moving and the fired alert, ${scheme}`, async (ctx) => {
      if (!servesQueues) ctx.skip(NO_QUEUES);
      const d = await openDashboard(browser, env.relay.url, { colorScheme: scheme });
      opened.push(d);
      const { page } = d;
      await page.setViewportSize({ width: 1920, height: 1080 });
      await signIn(page, 'admin', env.adminPassword);
      await page.goto('/#/wallboard');
      await page.locator('.queue-tile').first().waitFor();
      const first = await tileFigures(d);
      // Callers ring into Sales and wait there (the e2e simulator generates no calls by itself).
      const sim = new SimControl(env.sim.url);
      for (const from of ['+441632960301', '+441632960302']) await sim.call({ action: 'place', from, queue: '800' });
      await expect.poll(() => tileFigures(d), { timeout: 30_000, interval: 1000 }).not.toEqual(first);
      await page.getByRole('region', { name: 'Fired alerts' }).getByText('Short-staffed').first().waitFor({ timeout: 30_000 });
      await d.screenshot('wallboard');
    });
  }
});
