// A small, deterministic call-record range for comparing CSV exports byte for
// byte: seeded calls (fixed seed, UTC business hours) plus hand-written rows
// whose text needs CSV quoting (comma, quote, CR, LF, CRLF), empty strings,
// nulls, non-ASCII text and a start-time tie.
import type pg from 'pg';
import { seedCdr } from '../../../relay/sim/cdr-seed.js';

export const EXPORT_FIXTURE_FROM = new Date('2026-06-01T00:00:00Z');
export const EXPORT_FIXTURE_TO = new Date('2026-06-08T00:00:00Z');
export const EXPORT_FIXTURE_ROWS = 400 + 8;

const TRICKY = [
  ['00000000-0000-4000-8000-000000000001', '2026-06-03 10:00:00.5+00', 'Smith, John', 'plain'],
  ['00000000-0000-4000-8000-000000000002', '2026-06-03 10:00:00.5+00', 'The "Boss"', '"'],
  ['00000000-0000-4000-8000-000000000003', '2026-06-03 10:00:01+00', 'line\nbreak', 'cr\ronly'],
  ['00000000-0000-4000-8000-000000000004', '2026-06-03 10:00:02.123456+00', 'crlf\r\nend', ',"\r\n'],
  ['00000000-0000-4000-8000-000000000005', '2026-06-03 10:00:03+00', '', ' leading and trailing '],
  ['00000000-0000-4000-8000-000000000006', '2026-06-03 10:00:04+00', 'Zoë Ünal – 電話', '=SUM(A1)'],
  ['00000000-0000-4000-8000-000000000007', '2026-06-03 10:00:05+00', null, null],
  ['00000000-0000-4000-8000-000000000008', '2026-06-07 23:59:59.999999+00', "tab\there; semi 'quote'", '""'],
] as const;

export async function seedExportFixture(client: pg.Client): Promise<void> {
  await seedCdr(client, { from: EXPORT_FIXTURE_FROM, to: EXPORT_FIXTURE_TO, count: 400, seed: 20260601, utcOffsetMinutes: 0 });
  for (const [id, started, name, details] of TRICKY) {
    await client.query(
      `INSERT INTO cdroutput (cdr_id, call_history_id, cdr_started_at, cdr_ended_at, source_participant_name, termination_reason_details, termination_reason)
       VALUES ($1, $1, $2::timestamptz, $2::timestamptz + interval '90 seconds', $3, $4, 'dst_participant_terminated')`,
      [id, started, name, details],
    );
  }
}
