// The Connections page's Team section in real Chromium, light and dark,
// audited by axe (colour contrast included, which jsdom cannot judge). The
// relay this suite starts runs on the embedded store, which has no team, so
// its real /relay/health answer is taken and given a team block the way a
// relay on a shared PostgreSQL store adds one (contract §7): three members,
// this relay a follower 12 frames behind. Without that block the section is
// absent, which the first test checks against the unmodified answer.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Health, TeamHealth } from '../../relay/contract/api-types.js';
import { launchChromium, openDashboard, signIn, type DashboardPage } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import { registerSuiteHooks } from './support/suite-hooks.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function audit(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as {
      axe: { run(o: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
    }).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  });
}

function teamFor(relayUrl: string): TeamHealth {
  const now = Date.now();
  return {
    self: 'desk-2:8082-5d1e',
    leader: 'pbx-gw:8443-a04c',
    upstreamConnections: 0,
    members: [
      { id: 'pbx-gw:8443-a04c', role: 'leader', since: new Date(now - 3_600_000).toISOString(), lagSeq: 0, url: 'https://pbx-gw.example.com:8443', seenAt: new Date(now - 1_000).toISOString() },
      { id: 'desk-2:8082-5d1e', role: 'follower', since: new Date(now - 1_800_000).toISOString(), lagSeq: 12, url: relayUrl, seenAt: new Date(now - 2_000).toISOString() },
      { id: 'desk-3:8082-77b0', role: 'follower', since: new Date(now - 600_000).toISOString(), lagSeq: 0, url: 'https://desk-3.example.com:8082', seenAt: new Date(now - 3_000).toISOString() },
    ],
  };
}

let env: E2eEnvironment;
let browser: Browser;
const opened: DashboardPage[] = [];

describe('Team section (Chromium)', () => {
  beforeAll(async () => {
    [env, browser] = await Promise.all([startE2eEnvironment(), launchChromium()]);
  });

  registerSuiteHooks({ opened, browser: () => browser, env: () => env });

  it('is absent on a relay without a team', async () => {
    const d = await openDashboard(browser, env.relay.url);
    opened.push(d);
    await d.page.goto('/');
    await signIn(d.page, 'admin', env.adminPassword);
    await d.page.goto('/#/connections');
    await d.page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
    await d.page.waitForLoadState('networkidle').catch(() => {});
    expect(await d.page.getByRole('heading', { name: 'Team', exact: true }).count()).toBe(0);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`names every member, the leader and this relay in words, with no axe violation, ${scheme}`, async () => {
      const d = await openDashboard(browser, env.relay.url, { colorScheme: scheme });
      opened.push(d);
      const { page } = d;
      await page.route('**/relay/health', async (route) => {
        const real = await route.fetch();
        const health = (await real.json()) as Health;
        await route.fulfill({ response: real, json: { ...health, team: teamFor(env.relay.url) } });
      });
      await page.goto('/');
      await signIn(page, 'admin', env.adminPassword);
      await page.goto('/#/connections');
      const table = page.getByRole('table', { name: 'Relays of the team' });
      await table.waitFor();
      const rowHeaders = await table.getByRole('rowheader').allTextContents();
      expect(rowHeaders).toEqual(['pbx-gw:8443-a04c', 'desk-2:8082-5d1e (this relay)', 'desk-3:8082-77b0']);
      const leaderRow = table.getByRole('row').nth(1);
      expect(await leaderRow.getByRole('cell').first().textContent()).toBe('Leader');
      const selfCells = await table.getByRole('row').nth(2).getByRole('cell').allTextContents();
      expect(selfCells.slice(0, 2)).toEqual(['Follower', env.relay.url]);
      expect(selfCells[3]).toBe('12');
      expect(await audit(page)).toEqual([]);

      await page.goto('/#/overview');
      await page.getByText('Team: 3 relays · leader: pbx-gw:8443-a04c (see Connections)').waitFor();
      await page.waitForLoadState('networkidle').catch(() => {});
      expect(await audit(page)).toEqual([]);
    });
  }
});
