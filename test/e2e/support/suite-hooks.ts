// The hooks every dashboard suite registers: the pages a test opened are
// closed after it and must have seen no uncaught page error or CSP violation;
// the browser and the environment stop after the suite.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, expect } from 'vitest';
import type { DashboardPage } from './browser.js';
import type { E2eEnvironment } from './e2e-environment.js';

export function registerSuiteHooks(suite: {
  opened: DashboardPage[];
  browser: () => Browser | undefined;
  env: () => E2eEnvironment | undefined;
}): void {
  afterEach(async () => {
    const problems = suite.opened.flatMap((d) => d.problems);
    await Promise.all(suite.opened.splice(0).map((d) => d.close()));
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await suite.browser()?.close();
    await suite.env()?.stop();
  });
}
