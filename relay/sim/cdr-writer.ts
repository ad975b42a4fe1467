// Writes each finished simulated call into `cdroutput` of the database it is
// given, the way 3CX records calls once they end, and a call that came in
// through a queue also into `callcent_queuecalls`. Writes are queued so a
// hang-up never waits on the database; flush() lets tests wait for them.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../core/logger.js';
import { insertCdrRows, legsToRows, type CallLeg } from './cdr-rows.js';
import { insertQueueCallRows, queueCallRow, type QueueCallFacts } from './queuecalls-table.js';

export class CdrWriter {
  private readonly pool: pg.Pool;
  private pending = new Set<Promise<void>>();
  private stopped = false;
  written = 0;
  failed = 0;

  constructor(databaseUrl: string, private readonly logger: Logger) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2, idleTimeoutMillis: 5_000 });
    // An idle client losing its server (chaos tests restart PostgreSQL) must not crash the process.
    this.pool.on('error', (err) => this.logger.warn('sim: CDR pool error', { error: err.message }));
  }

  write(legs: readonly CallLeg[], call?: QueueCallFacts): void {
    if (this.stopped || legs.length === 0) return;
    const rows = legsToRows(legs, randomUUID);
    const queueRow = call ? queueCallRow(call, legs, (rows[0]?.call_history_id as string | undefined) ?? null) : null;
    const p = insertCdrRows(this.pool, rows)
      .then(() => (queueRow ? insertQueueCallRows(this.pool, [queueRow]) : undefined))
      .then(() => {
        this.written += rows.length;
      })
      .catch((err: Error) => {
        this.failed += rows.length;
        this.logger.warn('sim: writing CDR rows failed', { error: err.message });
      })
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Resolves when every write queued so far has finished (or failed). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.flush();
    await this.pool.end();
  }
}
