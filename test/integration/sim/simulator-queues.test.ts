// The simulator's supervisor side: queue login status readable and writable
// through XAPI (`Users` `QueueStatus`, `PATCH Users({Id})`), the trunk-down
// fault in SystemStatus, agent churn, and the queue ledger that tests take
// as the ground truth (waiting, answered, abandoned, service level).
import { afterEach, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import { accessToken, bearerFetch } from '../../support/sim-client.js';

let sim: Simulator;
afterEach(async () => sim.stop());

interface User { Id: number; Number: string; QueueStatus: string }

it('PATCH Users({Id}) {QueueStatus} logs an agent out and in, and GET Users shows it', async () => {
  sim = await startSimulator({ seed: 1 });
  const token = await accessToken(sim);
  const users = (await bearerFetch(sim, token, '/xapi/v1/Users')).body as { value: User[] };
  const anna = users.value.find((u) => u.Number === '100')!;
  expect(anna.QueueStatus).toBe('LoggedIn');
  const patch = await bearerFetch(sim, token, `/xapi/v1/Users(${anna.Id})`, { method: 'PATCH', body: JSON.stringify({ QueueStatus: 'LoggedOut' }) });
  expect(patch.status).toBe(204);
  expect(sim.queueStatus('100')).toBe('LoggedOut');
  const after = (await bearerFetch(sim, token, '/xapi/v1/Users')).body as { value: User[] };
  expect(after.value.find((u) => u.Number === '100')!.QueueStatus).toBe('LoggedOut');
  // Anything but QueueStatus, an unknown value or user is refused.
  expect((await bearerFetch(sim, token, `/xapi/v1/Users(${anna.Id})`, { method: 'PATCH', body: JSON.stringify({ QueueStatus: 'Away' }) })).status).toBe(400);
  expect((await bearerFetch(sim, token, `/xapi/v1/Users(${anna.Id})`, { method: 'PATCH', body: JSON.stringify({ QueueStatus: 'LoggedIn', FirstName: 'X' }) })).status).toBe(400);
  expect((await bearerFetch(sim, token, '/xapi/v1/Users(999)', { method: 'PATCH', body: JSON.stringify({ QueueStatus: 'LoggedIn' }) })).status).toBe(404);
});

it('the trunksDown fault makes SystemStatus report fewer trunks registered than total', async () => {
  sim = await startSimulator({ seed: 1 });
  const token = await accessToken(sim);
  const before = (await bearerFetch(sim, token, '/xapi/v1/SystemStatus')).body as Record<string, number>;
  expect(before.TrunksRegistered).toBe(before.TrunksTotal);
  await fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trunksDown: true }) });
  const after = (await bearerFetch(sim, token, '/xapi/v1/SystemStatus')).body as Record<string, number>;
  expect(after.TrunksRegistered).toBeLessThan(after.TrunksTotal!);
});

it('the ledger counts waiting, answered within and outside the SLA, and abandoned callers per queue', async () => {
  let t = Date.parse('2026-12-01T09:00:00Z');
  sim = await startSimulator({ seed: 1, clock: { now: () => t } });
  const fast = sim.placeInboundCall({ queue: '800' });
  const slow = sim.placeInboundCall({ queue: '800' });
  const gone = sim.placeInboundCall({ queue: '800' });
  t += 10_000;
  expect(sim.queueFigures()[0]).toMatchObject({ dn: '800', waiting: 3, longestWaitS: 10, answered: 0, abandoned: 0, serviceLevel: null });
  sim.answer(fast, '101');
  t += 30_000; // 40 s: past Sales' 20 s SLA
  sim.ring(slow, '102');
  sim.answer(slow, '102');
  sim.hangUp(gone);
  expect(sim.queueFigures()[0]).toMatchObject({ waiting: 0, answered: 2, abandoned: 1, answeredWithinSla: 1, answeredBy: { '101': 1, '102': 1 } });
  expect(sim.queueFigures()[0]!.serviceLevel).toBeCloseTo(33.3, 1);
});

it('agents log in and out on their own while the generator runs', async () => {
  sim = await startSimulator({ seed: 5, agentChurnPerMinute: 60_000 });
  const seen = new Set<string>();
  const deadline = Date.now() + 2000;
  while (seen.size < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
    for (const dn of ['100', '101', '102', '103', '104', '105', '106', '107', '108', '109', '110', '111', '112', '113', '114', '115']) seen.add(sim.queueStatus(dn));
  }
  expect([...seen].sort()).toEqual(['LoggedIn', 'LoggedOut']);
});

it('generated queue calls ring and are answered only by logged-in agents', async () => {
  sim = await startSimulator({ seed: 9, callsPerMinute: 0, timeScale: 0.001, agentChurnPerMinute: 0 });
  for (const dn of ['102', '103', '104', '105']) sim.setQueueStatus(dn, 'LoggedOut');
  sim.setCallsPerMinute(20_000);
  await waitFor(() => (sim.queueFigures()[0]?.answered ?? 0) >= 20);
  sim.setCallsPerMinute(0);
  expect(Object.keys(sim.queueFigures()[0]!.answeredBy).sort()).toEqual(['100', '101']);
});

async function waitFor(ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
