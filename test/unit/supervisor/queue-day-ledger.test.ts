// The relay's own count of today's queue calls, from successive active-call
// lists: a caller seen waiting (Talking to the queue) is answered when the
// list shows them Talking to someone else, abandoned when they vanish first;
// local midnight starts a new day.
import { expect, it } from 'vitest';
import type { ActiveCall } from '../../../relay/contract/api-types.js';
import { QueueDayLedger, partyNumber } from '../../../relay/supervisor/queue-day-ledger.js';

const T0 = new Date(2026, 11, 1, 10, 0, 0).getTime(); // local 10:00
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const SLA = new Map([['800', 20], ['801', 30]]);

function call(id: number, callee: string, status: string, startedMs: number, changedMs = startedMs): ActiveCall {
  return { Id: id, Caller: '+4930111', Callee: callee, Status: status, LastChangeStatus: iso(changedMs), EstablishedAt: iso(startedMs), ServerNow: iso(changedMs) };
}

it('reads the party number XAPI puts first', () => {
  expect(partyNumber('800 Sales')).toBe('800');
  expect(partyNumber('+4930123')).toBe('+4930123');
});

it('counts answered within and outside the SLA, abandoned, average wait and talk', () => {
  const l = new QueueDayLedger();
  l.observe([call(1, '800 Sales', 'Talking', T0), call(2, '800 Sales', 'Talking', T0), call(3, '800 Sales', 'Talking', T0)], SLA, T0 + 1_000);
  expect(l.day('800')).toMatchObject({ answered: 0, abandoned: 0, serviceLevel: null, avgWaitS: null });
  l.observe([
    call(1, '101 Ben Carter', 'Talking', T0, T0 + 10_000),
    call(2, '102 Chloe Dubois', 'Ringing', T0, T0 + 35_000),
    call(3, '800 Sales', 'Talking', T0),
  ], SLA, T0 + 36_000);
  // Ringing an agent is not answered yet; caller 3 hangs up while waiting.
  l.observe([call(1, '101 Ben Carter', 'Talking', T0, T0 + 10_000), call(2, '102 Chloe Dubois', 'Talking', T0, T0 + 40_000)], SLA, T0 + 41_000);
  expect(l.day('800')).toEqual({ answered: 2, abandoned: 1, answeredWithinSla: 1, serviceLevel: 33.3, avgWaitS: 25, avgTalkS: null });
  l.observe([], SLA, T0 + 70_000);
  // Talk: 60 s and 30 s.
  expect(l.day('800').avgTalkS).toBe(45);
  expect(l.answeredByAgent('101')).toBe(1);
  expect(l.asOf()).toBe(T0 + 70_000);
});

it('a call first seen ringing an agent is not taken for a queue call; a pick-up with an unchanged LastChangeStatus counts at the observation', () => {
  const l = new QueueDayLedger();
  l.observe([call(1, '101 Ben Carter', 'Ringing', T0)], SLA, T0);
  l.observe([], SLA, T0 + 5_000);
  expect(l.day('800')).toMatchObject({ answered: 0, abandoned: 0 });
  l.observe([call(2, '801 Support', 'Talking', T0)], SLA, T0 + 1_000);
  l.observe([call(2, '106 Felix Wagner', 'Talking', T0)], SLA, T0 + 12_000);
  expect(l.day('801')).toMatchObject({ answered: 1, avgWaitS: 12, answeredWithinSla: 1 });
});

it('starts from zero at local midnight', () => {
  const l = new QueueDayLedger();
  l.observe([call(1, '800 Sales', 'Talking', T0)], SLA, T0);
  l.observe([], SLA, T0 + 1_000);
  expect(l.day('800').abandoned).toBe(1);
  const tomorrow = new Date(2026, 11, 2, 0, 0, 5).getTime();
  l.observe([], SLA, tomorrow);
  expect(l.day('800')).toMatchObject({ answered: 0, abandoned: 0, serviceLevel: null });
});
