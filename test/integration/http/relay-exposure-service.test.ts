// The server keeps the exposure rule itself (not only the CLI): a relay
// service configured for a network address without TLS or allow-lists does
// not start, and the TLS credentials in RelayConfig reach the server.
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../relay/core/logger.js';
import { createRelayService } from '../../../relay/service.js';
import type { RelayConfig } from '../../../relay/service-types.js';
import { makeSelfSignedCert, type TestCert } from '../../support/self-signed-cert.js';

let cert: TestCert;
const dirs: string[] = [];
beforeAll(() => {
  cert = makeSelfSignedCert();
});
afterAll(() => {
  cert.remove();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const config = (over: Partial<RelayConfig>): RelayConfig => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-exposure-svc-'));
  dirs.push(dataDir);
  return { host: '127.0.0.1', port: 0, dataDir, allowedOrigins: [], allowedHostNames: [], version: 't', tuning: { bcryptCost: 4 }, ...over };
};

describe('the relay server beyond loopback', () => {
  it('refuses to listen on a network address without TLS or allow-lists, whoever configured it', async () => {
    const bare = createRelayService(config({ host: '0.0.0.0' }), { logger: silentLogger });
    await expect(bare.start()).rejects.toThrow(/^refusing to listen on 0\.0\.0\.0, which is not a loopback address, without TLS/);
    const noLists = createRelayService(config({ host: '0.0.0.0', security: { trustProxy: { proxies: ['loopback'] } } }), { logger: silentLogger });
    await expect(noLists.start()).rejects.toThrow(/without a Host allow-list .* and an Origin allow-list/);
  });

  it('serves https with the credentials from RelayConfig', async () => {
    const tls = { cert: fs.readFileSync(cert.certFile, 'utf8'), key: fs.readFileSync(cert.keyFile, 'utf8') };
    const service = createRelayService(
      config({ host: '0.0.0.0', security: { tls }, allowedHostNames: ['relay.test'], allowedOrigins: ['https://relay.test'] }),
      { logger: silentLogger },
    );
    const { url } = await service.start();
    try {
      expect(url).toMatch(/^https:\/\/0\.0\.0\.0:\d+$/);
      const status = await new Promise<{ code: number; hsts: unknown }>((resolve, reject) => {
        https.get({ host: '127.0.0.1', port: Number(new URL(url).port), path: '/relay/health', ca: cert.cert, servername: 'localhost' }, (res) => {
          res.resume();
          resolve({ code: res.statusCode!, hsts: res.headers['strict-transport-security'] });
        }).on('error', reject);
      });
      expect(status).toEqual({ code: 200, hsts: 'max-age=31536000' });
    } finally {
      await service.stop();
    }
  });
});
