// Debian's Chromium driven by playwright-core (no browser download). Each
// page records what would mean a broken dashboard: uncaught exceptions and
// Content-Security-Policy violations (the relay serves a strict CSP).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './renderer-build.js';

export const ARTIFACTS = path.join(REPO_ROOT, 'test/artifacts');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface DashboardPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and CSP violations seen so far. */
  problems: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openDashboard(browser: Browser, baseURL: string, opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<DashboardPage> {
  const context = await browser.newContext({
    baseURL,
    acceptDownloads: true,
    colorScheme: opts.colorScheme ?? 'light',
    viewport: { width: 1280, height: 860 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    page,
    problems,
    async screenshot(name) {
      const file = path.join(ARTIFACTS, `${name}-${opts.colorScheme ?? 'light'}.png`);
      await page.mouse.move(0, 0); // no hover effects left over from the last click
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: () => context.close(),
  };
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/#/overview');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}
