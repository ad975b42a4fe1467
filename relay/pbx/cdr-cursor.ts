// Opaque page cursors for call records: the keyset position (start time as
// PostgreSQL printed it, so no precision is lost, and the row id) in
// base64url JSON. Anything that does not decode to exactly that shape is a
// foreign cursor and is refused as bad input before it reaches SQL.
import { z } from 'zod';
import { RelayError } from '../core/relay-error.js';

const TAG = 'cdr1';

export interface CdrKey {
  /** cdr_started_at as PostgreSQL's text output (ISO DateStyle). */
  startedAt: string;
  /** cdr_id as text. */
  id: string;
}

// PostgreSQL ISO output: "2026-11-23 10:00:40.123456+00" (timestamptz) or without offset (timestamp).
const PG_TIMESTAMP = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:\d\d){0,2})?$/;
const ROW_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

const cursorShape = z.tuple([z.literal(TAG), z.string().regex(PG_TIMESTAMP), z.string().regex(ROW_ID)]);

export function encodeCdrCursor(key: CdrKey): string {
  return Buffer.from(JSON.stringify([TAG, key.startedAt, key.id]), 'utf8').toString('base64url');
}

export function decodeCdrCursor(cursor: string): CdrKey {
  const foreign = () => RelayError.badRequest('the cursor is not one this relay issued for call records; start again without it');
  if (cursor.length === 0 || cursor.length > 400 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw foreign();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw foreign();
  }
  const parsed = cursorShape.safeParse(json);
  if (!parsed.success) throw foreign();
  return { startedAt: parsed.data[1], id: parsed.data[2] };
}
