// The dashboard end to end: real Chromium against the headless relay (child
// process) on the 3CX simulator and a real PostgreSQL CDR database. Each test
// leaves a screenshot in test/artifacts/ and fails on any uncaught page error
// or CSP violation.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CsvProgress } from '../../renderer/client/csv-progress.js';
import { launchChromium, openDashboard, signIn, type DashboardPage } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import { registerSuiteHooks } from './support/suite-hooks.js';
import { SimControl } from './support/sim-control.js';

let env: E2eEnvironment;
let browser: Browser;
let sim: SimControl;
const opened: DashboardPage[] = [];

async function dashboard(colorScheme: 'light' | 'dark' = 'light'): Promise<DashboardPage> {
  const d = await openDashboard(browser, env.relay.url, { colorScheme });
  opened.push(d);
  return d;
}

async function adminDashboard(colorScheme: 'light' | 'dark' = 'light'): Promise<DashboardPage> {
  const d = await dashboard(colorScheme);
  await signIn(d.page, 'admin', env.adminPassword);
  return d;
}

/** The dashboard's [session token, device token] as the page stored them (a string: this file has no DOM types). */
function storedTokens(page: Page): Promise<[string | null, string | null]> {
  return page.evaluate("[sessionStorage.getItem('relay.session'), localStorage.getItem('relay.device')]");
}

function localDay(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

describe('dashboard in Chromium', () => {
  beforeAll(async () => {
    [env, browser] = await Promise.all([startE2eEnvironment(), launchChromium()]);
    sim = new SimControl(env.sim.url);
  });

  registerSuiteHooks({ opened, browser: () => browser, env: () => env });

  it('signs in and shows live health and figures, in light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, screenshot } = await dashboard(scheme);
      await page.goto('/');
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await screenshot('login');
      await signIn(page, 'admin', env.adminPassword);
      const health = page.getByRole('region', { name: /Relay health/ });
      await expect.poll(() => health.getByText('Connected', { exact: true }).count(), { timeout: 20_000 }).toBe(3);
      await page.getByText('Active calls', { exact: true }).first().waitFor();
      await page.getByRole('figure').waitFor();
      await screenshot('overview');
    }
  });

  it('shows live calls appear, tick and disappear as the simulator runs', async () => {
    const { page, screenshot } = await adminDashboard();
    await page.getByRole('link', { name: 'Active calls' }).click();
    await page.getByRole('heading', { level: 1, name: /Active calls/ }).waitFor();

    const callId = await sim.call({ action: 'place', from: '+441632960101' });
    const row = page.getByRole('row', { name: /441632960101/ });
    await row.waitFor();
    await sim.call({ action: 'answer', callId });
    await row.getByText('Talking').waitFor();
    const duration = row.locator('td').nth(3);
    const first = await duration.textContent();
    await expect.poll(() => duration.textContent(), { timeout: 5000 }).not.toBe(first);
    await screenshot('active-calls');

    await sim.call({ action: 'hangup', callId });
    await row.waitFor({ state: 'detached' });
  });

  it('drops a call after confirmation and the simulator sees it gone', async () => {
    const { page, screenshot } = await adminDashboard();
    await page.goto('/#/calls');
    const callId = await sim.talkingCall('+441632960202');
    const row = page.getByRole('row', { name: /441632960202/ });
    await row.getByText('Talking').waitFor();

    await row.getByRole('button', { name: /^Drop call/ }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Drop this call?' });
    await dialog.waitFor();
    await screenshot('drop-confirm');
    await dialog.getByRole('button', { name: 'Drop call' }).click();
    await row.waitFor({ state: 'detached' });

    const state = await sim.state();
    expect(state.activeCalls.map((c) => c.Id)).not.toContain(callId);
    expect(state.stats.droppedCallIds).toContain(callId);
  });

  it('creates an API key shown once, which works until it is revoked', async () => {
    const { page, screenshot } = await adminDashboard();
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Client name').fill('e2e CRM');
    await page.getByRole('button', { name: 'Create key' }).click();

    const dialog = page.getByRole('dialog', { name: 'API key for e2e CRM' });
    const apiKey = await dialog.getByLabel('New API key').inputValue();
    expect(apiKey.length).toBeGreaterThanOrEqual(40);
    await dialog.getByRole('button', { name: 'Copy key' }).click();
    await dialog.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(apiKey);
    await screenshot('api-key-reveal');
    await dialog.getByRole('button', { name: 'I have saved the key' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(apiKey);

    const useKey = () => fetch(`${env.relay.url}/relay/active-calls`, { headers: { authorization: `Bearer ${apiKey}` } });
    const ok = await useKey();
    expect(ok.status).toBe(200);
    expect(Array.isArray(((await ok.json()) as { value: unknown }).value)).toBe(true);

    const row = page.getByRole('row', { name: /e2e CRM/ });
    await expect.poll(async () => Number(await row.locator('td').nth(3).textContent()), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    await row.getByRole('button', { name: 'Revoke key e2e CRM' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Revoke the key for e2e CRM?' });
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await row.getByText('Revoked').waitFor();
    await screenshot('api-keys');

    const refused = await useKey();
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBeTruthy();
  });

  it('shows a simulator fault in the error feed and acknowledges it', async () => {
    const { page, screenshot } = await adminDashboard();
    await page.getByRole('link', { name: 'Errors' }).click();
    await page.getByRole('heading', { level: 1, name: 'Errors' }).waitFor();

    await sim.faults({ dropWebSockets: true });
    const entry = page.getByRole('listitem').filter({ hasText: 'Call Control' }).first();
    // Live: the error_logged frame refreshes the feed, well before its 10 s poll.
    await entry.waitFor({ timeout: 8000 });
    const message = (await entry.locator('.error-message').textContent()) ?? '';
    expect(message).not.toBe('');
    await entry.getByRole('button', { name: 'Details' }).click();
    await screenshot('errors');

    await entry.getByRole('button', { name: /^Acknowledge/ }).click();
    await page.getByText('Error acknowledged.').waitFor();
    await page.getByLabel('Status').selectOption('true');
    await page.getByRole('listitem').filter({ hasText: message }).first().getByText(/Acknowledged by admin/).waitFor();
  });

  it('searches call records page by page and exports them to CSV', async () => {
    const { page, screenshot } = await adminDashboard();
    await page.getByRole('link', { name: 'Call records' }).click();
    await page.getByLabel('First day').fill(localDay(env.seeded.from));
    await page.getByLabel('Last day').fill(localDay(new Date()));
    await page.getByRole('button', { name: 'Search' }).click();
    const table = page.getByRole('table', { name: 'Call records' });
    await expect.poll(() => table.getByRole('row').count()).toBe(51);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await screenshot('call-records');

    const download = page.waitForEvent('download', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    const header = csv.slice(0, csv.indexOf('\n'));
    expect(header).toContain('cdr_started_at');
    const counted = new CsvProgress({ from: env.seeded.from.toISOString(), to: new Date().toISOString() });
    counted.push(csv);
    const { rows } = counted.finish();
    // Every seeded row (all inside the range) plus the calls earlier tests ended.
    expect(rows).toBeGreaterThanOrEqual(env.seeded.rows);
    await page.getByText(`Exported ${rows.toLocaleString('en-US')} rows`).waitFor();
    await screenshot('call-records-exported');
  });

  it('signs a viewer in without any admin control, and the relay refuses them anyway', async () => {
    const admin = await adminDashboard();
    await admin.page.getByRole('link', { name: 'Users' }).click();
    const viewerPassword = 'viewer-pass-12345';
    await admin.page.getByLabel('Username').fill('val');
    await admin.page.getByLabel('Password', { exact: true }).fill(viewerPassword);
    await admin.page.getByLabel('Role').selectOption('viewer');
    await admin.page.getByRole('button', { name: 'Add user' }).click();
    await admin.page.getByRole('row', { name: /val/ }).waitFor();
    await admin.screenshot('users');

    const { page, screenshot } = await dashboard('dark');
    await signIn(page, 'val', viewerPassword);
    const nav = page.getByRole('navigation', { name: 'Dashboard pages' });
    expect(await nav.getByRole('link', { name: 'API keys' }).count()).toBe(0);

    await sim.talkingCall('+441632960303');
    await nav.getByRole('link', { name: 'Active calls' }).click();
    await page.getByRole('row', { name: /441632960303/ }).waitFor();
    expect(await page.getByRole('button', { name: /Drop/ }).count()).toBe(0);
    await screenshot('viewer-active-calls');

    await nav.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('heading', { name: /3CX XAPI/ }).waitFor();
    expect(await page.getByRole('button', { name: /Reconnect/ }).count()).toBe(0);
    await screenshot('viewer-connections');

    await nav.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    expect(await page.getByRole('button', { name: /Remove|Reset password/ }).count()).toBe(0);

    const [session] = await storedTokens(page);
    const refused = await page.evaluate(async (token) => (await fetch('/admin/api-keys', { headers: { Authorization: `Bearer ${token}` } })).status, session);
    expect(refused).toBe(403);
  });

  it('keeps the session in this tab without a cookie, across a reload, and remembers the device', async () => {
    const { page, context } = await adminDashboard();
    expect(await context.cookies()).toEqual([]);
    const [session, device] = await storedTokens(page);
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(device).toMatch(/^d1\./);
    // Without the header, the page's own requests carry nothing that authenticates.
    expect(await page.evaluate(async () => (await fetch('/admin/me')).status)).toBe(401);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    // Signing out forgets the session but keeps the device token for the next sign-in.
    await page.getByRole('button', { name: /Sign out/ }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await storedTokens(page)).toEqual([null, device]);
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('shows the disconnected banner while the relay is down and recovers by itself', async () => {
    const { page, screenshot } = await adminDashboard();
    await page.goto('/#/calls');
    await page.getByRole('heading', { level: 1, name: /Active calls/ }).waitFor();
    const banner = page.getByText(/Disconnected from relay — reconnecting/);
    await env.restartRelay(async () => {
      await banner.waitFor({ timeout: 10_000 });
      await screenshot('disconnected');
    });
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    // Live again: a new call shows up without a reload.
    await sim.talkingCall('+441632960404');
    await page.getByRole('row', { name: /441632960404/ }).waitFor({ timeout: 20_000 });
  });
});
