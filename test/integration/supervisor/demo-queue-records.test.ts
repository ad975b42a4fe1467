// The demo's call-record database (PGlite) holds `callcent_queuecalls` too:
// its generated history has one row per call that came in through a queue,
// the live simulator adds each queue call it finishes, and the relay's
// one aggregate runs on it and agrees with the rows counted here the slow way.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { localDayStart } from '../../../relay/core/local-day.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { startDemoEnvironment, type DemoEnvironment } from '../../../relay/demo/demo-environment.js';
import { CdrRepository } from '../../../relay/pbx/cdr-repository.js';
import { resolveQueueCallsMapping, type QueueDayRow } from '../../../relay/pbx/queue-calls-query.js';
import { QUEUES } from '../../../relay/sim/pbx-directory.js';

let env: DemoEnvironment;
let repo: CdrRepository;

beforeAll(async () => {
  env = await startDemoEnvironment({ logger: silentLogger, callsPerMinute: 0, historyRows: 3_000 });
  env.simulator.setCallsPerMinute(0);
  await env.ready;
  await env.seedHistory(Date.now());
  repo = new CdrRepository({ config: env.cdr });
  await repo.start();
}, 120_000);
afterAll(async () => {
  await repo?.stop();
  await env?.stop();
});

interface Raw { q_num: string; to_dn: string; wait: number; talk: number }

async function rowsSince(from: number, to: number): Promise<Raw[]> {
  const c = new pg.Client({ connectionString: (env.cdr as { url: string }).url });
  await c.connect();
  try {
    const res = await c.query<Raw>(
      'SELECT q_num, to_dn, extract(epoch FROM ts_waiting + ts_polling)::float8 AS wait, extract(epoch FROM ts_servicing)::float8 AS talk FROM callcent_queuecalls WHERE time_start >= $1 AND time_start < $2',
      [new Date(from), new Date(to)],
    );
    return res.rows;
  } finally {
    await c.end();
  }
}

function slowWay(rows: Raw[]): QueueDayRow[] {
  return QUEUES.map((q) => {
    const mine = rows.filter((r) => r.q_num === q.dn);
    const answered = mine.filter((r) => r.talk > 0 && r.to_dn);
    return {
      kind: 'queue' as const,
      key: q.dn,
      answered: answered.length,
      abandoned: mine.length - answered.length,
      withinSla: answered.filter((r) => r.wait <= q.slaSeconds).length,
      waitS: answered.reduce((s, r) => s + r.wait, 0),
      talkS: answered.reduce((s, r) => s + r.talk, 0),
    };
  }).filter((r) => r.answered + r.abandoned > 0);
}

it('the history and the live simulator write queue calls, and the aggregate matches them', { timeout: 60_000 }, async () => {
  const sim = env.simulator;
  // The demo's busy first seconds started calls: end them, so nothing else writes while we count.
  for (const c of sim.activeCalls()) sim.hangUp(c.Id);
  await sim.flushCdr();
  const before = (await rowsSince(0, Date.now() + 60_000)).length;
  expect(before).toBeGreaterThan(0);
  const a = sim.placeInboundCall({ queue: '801' });
  sim.answer(a, '106');
  sim.hangUp(a);
  const b = sim.placeInboundCall({ queue: '802' });
  sim.hangUp(b);
  await sim.flushCdr();
  const now = Date.now() + 1;
  const today = await rowsSince(localDayStart(now), now);
  expect((await rowsSince(0, now + 60_000)).length).toBe(before + 2);
  expect(today.filter((r) => r.q_num === '801' && r.to_dn === '106').length).toBeGreaterThanOrEqual(1);
  expect(today.filter((r) => r.q_num === '802' && !r.to_dn).length).toBeGreaterThanOrEqual(1);

  const rows = await repo.queueDay(
    { from: new Date(localDayStart(now)), to: new Date(now), queues: QUEUES.map((q) => ({ number: q.dn, slaSeconds: q.slaSeconds })) },
    resolveQueueCallsMapping(),
  );
  const queues = rows.filter((r) => r.kind === 'queue').sort((x, y) => x.key.localeCompare(y.key));
  const expected = slowWay(today);
  expect(queues.map(({ waitS, talkS, ...r }) => ({ ...r, waitS: Math.round(waitS * 1000), talkS: Math.round(talkS * 1000) })))
    .toEqual(expected.map(({ waitS, talkS, ...r }) => ({ ...r, waitS: Math.round(waitS * 1000), talkS: Math.round(talkS * 1000) })));
});
