// A PBX that quotes our token request back in its error (seen in the field:
// a client secret with a space and a `&` came back form-encoded) must not get
// that secret into /relay/health, the logs, the error feed or the connection
// history. The stand-in 3CX here does only that: it refuses every token
// request with a body echoing the request in each encoding we send.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretForms } from '../../../relay/core/redact.js';
import { spawnRelay } from '../../support/relay-process.js';

const SECRET = 'p@ss w&rd "x"\\/+é=1';
/** Fragments that give the secret away even when its full form is cut. */
const TELLTALE = /w(&|%26|\+| )rd/i;

let upstream: http.Server;
let pbxUrl: string;
let tokenRequests = 0;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-echo-'));
  upstream = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      if (req.url === '/connect/token') tokenRequests += 1;
      const secret = new URLSearchParams(body).get('client_secret') ?? '';
      // Not JSON, so the text reaches the relay as 3CX's own words.
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`invalid request: body=${body}; uri=${encodeURIComponent(secret)}; json=${JSON.stringify(secret)}`);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  pbxUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => upstream.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function leaks(text: string): string[] {
  return [...secretForms(SECRET).filter((f) => text.includes(f)), ...(TELLTALE.test(text) ? [TELLTALE.source] : [])];
}

/** Every file under `dir`, read as UTF-8 (SQLite stores text as UTF-8, WAL included). */
function allFileText(dir: string): string {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name)).toString('utf8'))
    .join('\n');
}

describe('a secret echoed by the PBX in an error body', () => {
  it('is masked in /relay/health, the logs and the stored tables, in every encoding', async () => {
    const relay = spawnRelay(
      ['--port', '0', '--data-dir', dataDir, '--pbx-url', pbxUrl, '--client-id', 'relay', '--log-level', 'debug'],
      { RELAY_PBX_CLIENT_SECRET: SECRET, RELAY_ADMIN_PASSWORD: 'echo-admin-pw' },
    );
    const seen = { health: '' };
    try {
      const url = await relay.listening;
      const deadline = Date.now() + 20_000;
      for (;;) {
        seen.health = await (await fetch(`${url}/relay/health`)).text();
        const h = JSON.parse(seen.health) as { components: Record<string, { lastError: string | null }> };
        if (h.components.xapi?.lastError && h.components.callcontrol?.lastError) break;
        if (Date.now() > deadline) throw new Error(`no upstream error reported in time: ${seen.health}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // Give the error feed and the connection history a moment to be written.
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }
    expect(tokenRequests).toBeGreaterThan(0);
    // The echo did reach the relay (so the checks below can fail), masked.
    expect(seen.health).toContain('invalid request');
    expect(seen.health).toContain('[redacted]');
    expect(leaks(seen.health)).toEqual([]);
    expect(leaks(relay.stderr() + relay.stdout())).toEqual([]);
    const stored = allFileText(dataDir);
    expect(stored).toContain('invalid request'); // the error feed / history rows exist...
    expect(leaks(stored)).toEqual([]); // ...without the secret
  }, 60_000);
});
