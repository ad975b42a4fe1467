// What the desktop shell calls on the service directly (no HTTP): the local
// admin's operations, the CSV export with progress, and reconfigure() when
// settings are saved — against the simulator and real PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../relay/core/logger.js';
import { createRelayService, type RelayService } from '../../../relay/service.js';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/test-postgres.js';
import { CDR_RANGE, seedKnownCdr, waitUntil } from '../../support/relay-harness.js';

let sim: Simulator;
let cdr: ScratchDatabase;
let service: RelayService;
let url: string;
let dataDir: string;
beforeAll(async () => {
  sim = await startSimulator({ seed: 9, callControlMonitors: 'all' });
  cdr = await createScratchDatabase('svc_cdr', { cdrSchema: true });
  await seedKnownCdr(cdr.url);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-svc-'));
  // Started unconfigured, as the desktop app is before its first settings.
  service = createRelayService({ host: '127.0.0.1', port: 0, dataDir, allowedOrigins: [], allowedHostNames: [], version: 't', tuning: { bcryptCost: 4 } }, { logger: silentLogger });
  url = (await service.start()).url;
});
afterAll(async () => {
  await service?.stop();
  await sim?.stop();
  await cdr?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('RelayService for the desktop shell', () => {
  it('starts unconfigured and reports it', () => {
    const h = service.health();
    expect(h.components.xapi.state).toBe('unconfigured');
    expect(h.components.database.state).toBe('unconfigured');
  });

  it('reconfigure() connects the new upstreams without a restart', async () => {
    await service.reconfigure({ pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret } });
    await waitUntil(() => service.health().components.callcontrol.state === 'connected', 'Call Control connected');
    expect(service.health().components.database.state).toBe('unconfigured');
    await service.reconfigure({ cdr: { url: cdr.url } });
    await waitUntil(() => service.health().components.database.state === 'connected', 'database connected');
    expect(service.health().components.xapi.state).toBe('connected');
    const id = sim.placeInboundCall();
    await waitUntil(async () => (await service.admin.activeCalls()).some((c) => c.Id === id), 'call visible');
  });

  it('admin acts as the local desktop admin; a key it creates works over HTTP', async () => {
    expect(await service.admin.me()).toEqual({ username: 'desktop', role: 'admin' });
    const created = await service.admin.createApiKey('desktop-made', ['read']);
    const r = await fetch(`${url}/relay/active-calls`, { headers: { authorization: `Bearer ${created.apiKey}` } });
    expect(r.status).toBe(200);
    const keys = await service.admin.listApiKeys();
    expect(keys.find((k) => k.id === created.id)).toMatchObject({ createdBy: 'desktop', active: true });
    await service.admin.revokeApiKey(created.id);
    expect((await fetch(`${url}/relay/active-calls`, { headers: { authorization: `Bearer ${created.apiKey}` } })).status).toBe(401);
    const page = await service.admin.cdrPage({ from: CDR_RANGE.from, to: CDR_RANGE.to, limit: 10 });
    expect(page.rows).toHaveLength(10);
  });

  it('adminAs(viewer) refuses admin-only operations', async () => {
    const viewer = service.adminAs({ username: 'v', role: 'viewer' });
    await expect(viewer.listUsers()).rejects.toMatchObject({ status: 403 });
    await expect(viewer.createApiKey('x', ['read'])).rejects.toMatchObject({ status: 403 });
    expect((await viewer.stats()).uptimeS).toBeGreaterThanOrEqual(0);
  });

  it('the own-password rule lives in the operation, not in a route: a viewer needs the current password', async () => {
    await service.admin.createUser('pw-viewer', 'first-password-1', 'viewer');
    const viewer = service.adminAs({ username: 'pw-viewer', role: 'viewer' });
    await expect(viewer.setPassword('pw-viewer', 'second-password-2')).rejects.toMatchObject({ status: 403 });
    await expect(viewer.setPassword('pw-viewer', 'second-password-2', 'wrong-password')).rejects.toMatchObject({ status: 403 });
    await viewer.setPassword('pw-viewer', 'second-password-2', 'first-password-1');
    await expect(viewer.setPassword('pw-viewer', 'third-password-3', 'first-password-1')).rejects.toMatchObject({ status: 403 });
    // An admin resets anyone's without it; a viewer never someone else's.
    await service.admin.setPassword('pw-viewer', 'third-password-3');
    await expect(viewer.setPassword('admin', 'hijacked-password', 'third-password-3')).rejects.toMatchObject({ status: 403 });
  });

  it('exportCdrCsv streams every row of the range to a writable, reporting progress', async () => {
    const chunks: Buffer[] = [];
    const out = new Writable({ write(chunk: Buffer, _e, cb) { chunks.push(chunk); cb(); } });
    const progress: { rows: number; fraction: number }[] = [];
    const result = await service.exportCdrCsv({ from: CDR_RANGE.from, to: CDR_RANGE.to }, out, (p) => progress.push(p));
    expect(result.rows).toBe(CDR_RANGE.rows);
    expect(Buffer.concat(chunks).toString().trim().split('\n')).toHaveLength(CDR_RANGE.rows + 1);
    expect(progress.at(-1)).toEqual({ rows: CDR_RANGE.rows, fraction: 1 });
    await expect(service.exportCdrCsv({ from: '2026-02-01', to: '2026-01-01' }, new Writable({ write(_c, _e, cb) { cb(); } })))
      .rejects.toMatchObject({ status: 400 });
  });

  it('onFrame and onError listeners can be removed', async () => {
    let frames = 0;
    const off = service.onFrame(() => frames++);
    const id = sim.placeInboundCall();
    await waitUntil(() => frames > 0, 'a frame');
    off();
    const seen = frames;
    sim.hangUp(id);
    await new Promise((r) => setTimeout(r, 200));
    expect(frames).toBe(seen);
  });
});

describe('a start that fails', () => {
  it('rejects, takes apart what it built (the temporary store included) and leaves stop() nothing to do', async () => {
    const taken = Number(new URL(url).port);
    // Its own temporary directory, so no other test's files can be mistaken for leftovers.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-failed-start-'));
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    const failing = createRelayService({ host: '127.0.0.1', port: taken, allowedOrigins: [], allowedHostNames: [], version: 't', tuning: { bcryptCost: 4 } }, { logger: silentLogger });
    try {
      await expect(failing.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(fs.readdirSync(tmp)).toEqual([]);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    await expect(failing.stop()).resolves.toBeUndefined();
    expect(failing.health().components.xapi.state).toBe('unconfigured');
    await expect(failing.admin.listUsers()).rejects.toThrow(/not started/);
  });
});
