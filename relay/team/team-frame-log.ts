// The team log in SQL: the frames the leader wrote (team_frames, migration
// 006) and the NOTIFY that tells followers about them. Frames are kept as the
// leader's JSON text, so every relay sends its clients the same bytes.
import type { HubFrame } from '../events/event-hub.js';
import type { FencedConnection } from './team-types.js';

/** Anything that runs a parameterised query: the fence, or a follower's own connection. */
export type Queryable = FencedConnection;

export const FRAMES_CHANNEL = 'relay_team_frames';
/**
 * NOTIFY refuses payloads of 8,000 bytes or more; a frame bigger than this
 * goes by reference (`ref:<seq>`) and followers read it from the table.
 */
export const NOTIFY_PAYLOAD_LIMIT = 7_500;

/** A frame as the leader stamped and serialised it. */
export interface StampedFrame {
  readonly frame: HubFrame;
  /** The frame's JSON. */
  readonly text: string;
  /** `text` as UTF-8, sent to local clients after the commit. */
  readonly bytes: Buffer;
}

export interface LoggedFrame { seq: number; text: string }

/** What a NOTIFY on FRAMES_CHANNEL carries. */
export type FrameNotice = { kind: 'frame'; frame: HubFrame; text: string } | { kind: 'ref'; seq: number } | { kind: 'unknown' };

export function noticeFor(f: StampedFrame): string {
  return f.bytes.length <= NOTIFY_PAYLOAD_LIMIT ? f.text : `ref:${f.frame.seq}`;
}

export function parseNotice(payload: string | undefined): FrameNotice {
  if (!payload) return { kind: 'unknown' };
  if (payload.startsWith('ref:')) {
    const seq = Number(payload.slice(4));
    return Number.isSafeInteger(seq) && seq > 0 ? { kind: 'ref', seq } : { kind: 'unknown' };
  }
  try {
    const frame = JSON.parse(payload) as HubFrame;
    if (typeof frame === 'object' && frame !== null && typeof frame.type === 'string' && Number.isSafeInteger(frame.seq)) return { kind: 'frame', frame, text: payload };
  } catch {
    // falls through: a payload we cannot read is treated as a gap by the follower
  }
  return { kind: 'unknown' };
}

/**
 * Writes the frames and sends the notices in ONE statement, so one commit
 * makes them durable and visible together: NOTIFY is delivered only when the
 * transaction commits, and never if the insert fails.
 */
export async function writeFrames(conn: Queryable, frames: readonly StampedFrame[], notices: readonly string[]): Promise<void> {
  await conn.query(
    `with written as (
       insert into team_frames (seq, type, frame, at)
       select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[])
     )
     select pg_notify($5, n) from unnest($6::text[]) as n`,
    [frames.map((f) => f.frame.seq), frames.map((f) => f.frame.type), frames.map((f) => f.text), frames.map((f) => f.frame.at), FRAMES_CHANNEL, notices],
  );
}

/** Up to `limit` frames with seq > `after`, oldest first. */
export async function readFramesAfter(conn: Queryable, after: number, limit: number): Promise<LoggedFrame[]> {
  const { rows } = await conn.query<{ seq: string | number; frame: string }>(
    'select seq, frame from team_frames where seq > $1 order by seq limit $2',
    [after, limit],
  );
  return rows.map((r) => ({ seq: Number(r.seq), text: r.frame }));
}

/** The oldest and newest seq in the log; null when it is empty. */
export async function logBounds(conn: Queryable): Promise<{ oldest: number; newest: number } | null> {
  const { rows } = await conn.query<{ oldest: string | null; newest: string | null }>('select min(seq) as oldest, max(seq) as newest from team_frames');
  const r = rows[0];
  if (!r || r.newest === null || r.oldest === null) return null;
  return { oldest: Number(r.oldest), newest: Number(r.newest) };
}

/** Deletes all but the newest `keep` frames; returns how many went. */
export async function pruneFrames(conn: Queryable, keep: number): Promise<number> {
  const { rowCount } = await conn.query('delete from team_frames where seq <= (select max(seq) from team_frames) - $1', [keep]);
  return rowCount ?? 0;
}
