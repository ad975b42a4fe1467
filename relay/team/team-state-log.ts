// The live state in SQL: one row per part of MirroredState (team_state,
// migration 006), upserted by the leader through the fence together with a
// NOTIFY naming the key; followers read the row when told and when they
// (re)connect.
import type { MirroredKey } from './team-types.js';
import type { Queryable } from './team-frame-log.js';

export const STATE_CHANNEL = 'relay_team_state';
export const MIRRORED_KEYS: readonly MirroredKey[] = ['calls', 'health', 'supervisor'];

export function isMirroredKey(key: string | undefined): key is MirroredKey {
  return MIRRORED_KEYS.includes(key as MirroredKey);
}

export async function writeState(conn: Queryable, key: MirroredKey, value: unknown, at: string): Promise<void> {
  await conn.query(
    `with written as (
       insert into team_state (key, value, updated_at) values ($1, $2, $3)
       on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at
     )
     select pg_notify($4, $1)`,
    [key, JSON.stringify(value), at, STATE_CHANNEL],
  );
}

/** The stored values, parsed; only the keys asked for (all by default). */
export async function readState(conn: Queryable, keys: readonly MirroredKey[] = MIRRORED_KEYS): Promise<Map<MirroredKey, unknown>> {
  const { rows } = await conn.query<{ key: string; value: string }>('select key, value from team_state where key = any($1::text[])', [keys]);
  const out = new Map<MirroredKey, unknown>();
  for (const r of rows) if (isMirroredKey(r.key)) out.set(r.key, JSON.parse(r.value) as unknown);
  return out;
}
