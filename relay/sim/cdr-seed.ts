// Bulk call history for tests, the demo and the benchmarks: `count` cdroutput
// rows of realistic calls between `from` and `to`, start times weighted to
// business hours on weekdays, deterministic for a seed. Each call is played
// through the same CallModel as the live simulator (on a moving clock), so
// seeded and live rows have one shape; rows go in with batched unnest inserts.
import { CallModel } from './call-model.js';
import { applyPlanStep, planCall, startPlannedCall } from './call-plan.js';
import { insertCdrRows, legsToRows, type CallLeg, type CdrRow } from './cdr-rows.js';
import type { SqlClient } from './cdr-schema.js';
import { createRandom, type Random } from './random.js';
import { insertQueueCallRows, queueCallRow, type QueueCallRow } from './queuecalls-table.js';
import type { SimCall } from './call-model.js';

export interface SeedCdrOptions {
  from: Date;
  to: Date;
  /** Exact number of rows; the last call is cut short to hit it. */
  count: number;
  seed?: number;
  /** Rows per INSERT (default 5,000). */
  batchSize?: number;
  /** Offset of the PBX's local time from UTC for business hours (default: this process's zone). */
  utcOffsetMinutes?: number;
}

export interface SeedCdrResult {
  rows: number;
  calls: number;
  /** Rows written to `callcent_queuecalls`: one per call that came in through a queue. */
  queueCalls: number;
}

/** Relative call volume by local hour and weekday (0 = Sunday). */
function volumeWeight(hour: number, weekday: number): number {
  const weekend = weekday === 0 || weekday === 6;
  let w: number;
  if (hour >= 9 && hour < 12) w = 1;
  else if (hour >= 13 && hour < 17) w = 0.9;
  else if (hour === 8 || hour === 12 || hour === 17) w = 0.6;
  else if (hour >= 7 && hour < 20) w = 0.2;
  else w = 0.02;
  return weekend ? w * 0.12 : w;
}

/** Rejection sampling: uniform over the range, kept with the hour's weight. */
function callStart(rng: Random, fromMs: number, spanMs: number, offsetMs: number): number {
  for (;;) {
    const t = fromMs + Math.floor(rng.next() * spanMs);
    const local = new Date(t + offsetMs);
    if (rng.next() < volumeWeight(local.getUTCHours(), local.getUTCDay())) return t;
  }
}

export async function seedCdr(client: SqlClient, opts: SeedCdrOptions): Promise<SeedCdrResult> {
  const fromMs = opts.from.getTime();
  const spanMs = opts.to.getTime() - fromMs;
  if (!(spanMs > 0)) throw new Error('seedCdr: `to` must be after `from`');
  if (!Number.isInteger(opts.count) || opts.count < 0) throw new Error('seedCdr: count must be a non-negative integer');
  const offsetMs = (opts.utcOffsetMinutes ?? -new Date(fromMs).getTimezoneOffset()) * 60_000;
  const batchSize = opts.batchSize ?? 5_000;
  const rng = createRandom(opts.seed ?? 1);

  let clock = 0;
  const model = new CallModel({ now: () => clock, routePointDn: 'relay' });
  let finished: CallLeg[] = [];
  let finishedCall: SimCall | null = null;
  model.on('ended', (call, legs) => {
    finished = legs;
    finishedCall = call;
  });

  let batch: CdrRow[] = [];
  let queueBatch: QueueCallRow[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  let rows = 0;
  let calls = 0;
  let queueCalls = 0;
  while (rows < opts.count) {
    const plan = planCall(rng);
    clock = callStart(rng, fromMs, spanMs, offsetMs);
    const callId = startPlannedCall(model, plan.start);
    for (const { afterMs, step } of plan.steps) {
      clock += afterMs;
      applyPlanStep(model, callId, step);
    }
    if (model.get(callId)) model.hangUp(callId);
    const callRows = legsToRows(finished, rng.uuid).slice(0, opts.count - rows);
    calls++;
    rows += callRows.length;
    batch.push(...callRows);
    // The queue-call row of the whole call, even when the cdroutput rows were cut short at `count`.
    const queueRow = finishedCall ? queueCallRow(finishedCall, finished, (callRows[0]?.call_history_id as string | undefined) ?? null) : null;
    if (queueRow) queueBatch.push(queueRow);
    if (batch.length >= batchSize) {
      // One insert in flight while the next batch is generated.
      await inFlight;
      const cdrBatch = batch;
      const queued = queueBatch;
      queueCalls += queued.length;
      inFlight = insertCdrRows(client, cdrBatch).then(() => insertQueueCallRows(client, queued));
      batch = [];
      queueBatch = [];
    }
  }
  await inFlight;
  await insertCdrRows(client, batch);
  await insertQueueCallRows(client, queueBatch);
  queueCalls += queueBatch.length;
  return { rows, calls, queueCalls };
}
