// The layer rules fail the lint: for each rule, a probe file placed inside
// the folder the rule guards, importing what the rule forbids, gets the
// rule's error; the same file importing what is allowed gets none. The
// probes are linted in memory with the project's own eslint.config.js.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCycles, importGraph } from '../../../build/check-cycles.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// Loading the config and parsers takes seconds on a busy machine: done once, before the timed tests.
let eslint: ESLint;
beforeAll(async () => {
  eslint = new ESLint({ cwd: root });
  await eslint.lintText('export {};\n', { filePath: path.join(root, 'relay/warm-up.ts') });
}, 60_000);

/** The layer rules (by name) a probe at `file` breaks with `source`. */
async function layerErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const probe = 1;\n`, { filePath: path.join(root, file) });
  const messages = result!.messages;
  const fatal = messages.filter((m) => m.fatal);
  expect(fatal).toEqual([]);
  return messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message.split(':')[0]!);
}

const probes: { rule: string; file: string; breaks: string; keeps: string }[] = [
  { rule: 'services-below-http', file: 'relay/auth/probe.ts', breaks: "import { parseInput } from '../http/validate.js';", keeps: "import { parseInput } from '../core/parse-input.js';" },
  { rule: 'services-below-http', file: 'relay/admin/probe.ts', breaks: "import type { HttpDeps } from '../http/http-deps.js';", keeps: "import type { Clock } from '../core/clock.js';" },
  { rule: 'services-below-http', file: 'relay/monitor/probe.ts', breaks: "import { createHttpApp } from '../http/app.js';", keeps: "import { EventHub } from '../events/event-hub.js';" },
  { rule: 'services-below-http', file: 'relay/live-calls/probe.ts', breaks: "import { sendJson } from '../http/send-json.js';", keeps: "import type { CallControlPort } from '../pbx/upstream.js';" },
  { rule: 'services-below-http', file: 'relay/call-records/probe.ts', breaks: "import { sendCdrCsv } from '../http/send-cdr-csv.js';", keeps: "import type { CdrPort } from '../pbx/upstream.js';" },
  { rule: 'infrastructure-below-services', file: 'relay/pbx/probe.ts', breaks: "import type { RelayConfig } from '../service.js';", keeps: "import type { Store } from '../store/store.js';" },
  { rule: 'infrastructure-below-services', file: 'relay/store/probe.ts', breaks: "import { UserService } from '../auth/user-service.js';", keeps: "import { RelayError } from '../core/relay-error.js';" },
  { rule: 'infrastructure-below-services', file: 'relay/events/probe.ts', breaks: "import { ErrorTracker } from '../monitor/error-tracker.js';", keeps: "import type { RelayFrame } from '../contract/api-types.js';" },
  { rule: 'config-and-demo-below-service', file: 'relay/config/probe.ts', breaks: "import type { RelayConfig } from '../service.js';", keeps: "import type { RelayConfig } from '../service-types.js';" },
  { rule: 'config-and-demo-below-service', file: 'relay/demo/probe.ts', breaks: "import { createRelayService } from '../service.js';", keeps: "import type { PbxConfig } from '../pbx/pbx-config.js';" },
  { rule: 'electron-through-public-entry', file: 'electron/settings/probe.ts', breaks: "import { XapiClient } from '../../relay/pbx/xapi-client.js';", keeps: "import type { RelayConfig } from '../../relay/service.js';" },
  { rule: 'electron-through-public-entry', file: 'electron/main-probe.ts', breaks: "import { describeIssues } from '../relay/http/validate.js';", keeps: "import { createRelayHost } from './relay/relay-host.js';" },
  { rule: 'connection-test-through-upstreams', file: 'electron/settings/connection-test.ts', breaks: "import { openStore } from '../../relay/store/store.js';", keeps: "import { createUpstreams } from '../../relay/pbx/create-upstreams.js';" },
  { rule: 'simulator-independent-of-client', file: 'relay/sim/probe.ts', breaks: "import { CDR_TABLE } from '../pbx/cdr-columns.js';", keeps: "import type { Clock } from '../core/clock.js';" },
  { rule: 'simulator-only-in-demo', file: 'relay/http/probe.ts', breaks: "import { startSimulator } from '../sim/simulator.js';", keeps: "import type { Clock } from '../core/clock.js';" },
  { rule: 'simulator-only-in-demo', file: 'relay/cli-probe.ts', breaks: "const sim = await import('./sim/simulator.js');", keeps: "const demo = await import('./demo/demo-environment.js');" },
];

describe('layer rules', { timeout: 30_000 }, () => {
  it.each(probes)('$rule: $file', async ({ rule, file, breaks, keeps }) => {
    expect(await layerErrors(file, breaks)).toEqual([rule]);
    expect(await layerErrors(file, keeps)).toEqual([]);
  });

  it('the demo may run the simulator', async () => {
    expect(await layerErrors('relay/demo/probe.ts', "import { startSimulator } from '../sim/simulator.js';")).toEqual([]);
  });
});

describe('cycle check', { timeout: 30_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cycles-'));
    const write = (f: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    };
    write('relay/a.ts', "import type { B } from './sub/b.js';\nexport type A = B;\n");
    write('relay/sub/b.ts', "export { c } from '../c.js';\nexport type B = number;\n");
    write('relay/c.ts', "import type { A } from './a.js';\nexport const c: A = 1;\n");
    write('relay/d.ts', "import { c } from './c.js';\nexport const d = c;\n");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds a cycle through type-only imports and re-exports, and only its members', () => {
    const cycles = findCycles(importGraph(dir));
    expect(cycles.map((c) => c.map((f) => path.relative(dir, f)))).toEqual([['relay/a.ts', 'relay/c.ts', 'relay/sub/b.ts']]);
  });

  it('the repository has none', () => {
    expect(findCycles(importGraph(root))).toEqual([]);
  });
});
