// Brings the local hub up to the team log's newest frame, in order, with the
// log's seq: a follower on start, after a reconnect or a gap; a new leader
// before it writes (frames it missed as a follower). When the hub is further
// behind than the log keeps (or than its own buffer holds), it restarts at
// the oldest frame worth having: clients asking for anything older get
// resync_required, which is the contract, never a silent gap.
import type { Logger } from '../core/logger.js';
import type { EventHub, HubFrame } from '../events/event-hub.js';
import { logBounds, readFramesAfter, type LoggedFrame, type Queryable } from './team-frame-log.js';

const PAGE = 1_000;

export interface CatchUpResult { from: number; to: number; restarted: boolean }

/** `shouldGoOn` lets a caller abandon the read (stream stopped, connection replaced). */
export async function catchUpHub(conn: Queryable, hub: EventHub, logger: Logger, shouldGoOn: () => boolean = () => true): Promise<CatchUpResult> {
  const from = hub.latestSeq;
  let restarted = false;
  const bounds = await logBounds(conn);
  if (!bounds || !shouldGoOn()) return { from, to: hub.latestSeq, restarted };
  if (hub.latestSeq > bounds.newest) {
    // The log is behind this hub (a new or reset store): nothing to read.
    logger.warn('team log is behind this relay', { latestSeq: hub.latestSeq, logNewest: bounds.newest });
    return { from, to: hub.latestSeq, restarted };
  }
  const start = Math.max(bounds.oldest - 1, bounds.newest - hub.capacity);
  if (hub.latestSeq < start) {
    hub.restartAt(start);
    restarted = true;
  }
  for (;;) {
    const rows = await readFramesAfter(conn, hub.latestSeq, PAGE);
    if (rows.length === 0 || !shouldGoOn()) break;
    restarted = deliverRows(hub, rows, logger) || restarted;
    if (rows.length < PAGE) break;
  }
  return { from, to: hub.latestSeq, restarted };
}

/** Delivers logged frames in order; a hole (pruned meanwhile) restarts the hub after it. */
export function deliverRows(hub: EventHub, rows: readonly LoggedFrame[], logger: Logger): boolean {
  let restarted = false;
  for (const row of rows) {
    if (row.seq <= hub.latestSeq) continue;
    if (row.seq !== hub.latestSeq + 1) {
      logger.warn('team log pruned past this relay: restarting its replay buffer', { latestSeq: hub.latestSeq, next: row.seq });
      hub.restartAt(row.seq - 1);
      restarted = true;
    }
    hub.deliver(JSON.parse(row.text) as HubFrame, Buffer.from(row.text));
  }
  return restarted;
}
