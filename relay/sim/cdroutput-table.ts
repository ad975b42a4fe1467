// The simulator's own copy of 3CX V20's call-record table, `cdroutput`, as
// docs/3cx-v20.md describes it. Deliberately NOT taken from the relay's
// mapping (relay/pbx/cdr-columns.ts): the stand-in must be able to disagree
// with the client, or a wrong name in the client would pass every test.
// The complete V20 column list is [unconfirmed]; these are the documented
// columns the relay can read. Plain SQL types only: it also runs on PGlite.

export const CDROUTPUT_TABLE = 'cdroutput';

/** Column name → SQL type, in table order. */
export const CDROUTPUT_COLUMNS = {
  cdr_id: 'uuid',
  call_history_id: 'uuid',
  cdr_started_at: 'timestamptz',
  cdr_answered_at: 'timestamptz',
  cdr_ended_at: 'timestamptz',
  source_dn_number: 'text',
  source_dn_type: 'text',
  source_dn_name: 'text',
  source_participant_name: 'text',
  source_participant_phone_number: 'text',
  source_participant_trunk_did: 'text',
  source_entity_type: 'text',
  destination_dn_number: 'text',
  destination_dn_type: 'text',
  destination_dn_name: 'text',
  destination_participant_name: 'text',
  destination_participant_phone_number: 'text',
  destination_participant_trunk_did: 'text',
  destination_entity_type: 'text',
  termination_reason: 'text',
  termination_reason_details: 'text',
  creation_method: 'text',
  originating_cdr_id: 'uuid',
} as const satisfies Record<string, 'uuid' | 'timestamptz' | 'text'>;

export type CdroutputColumn = keyof typeof CDROUTPUT_COLUMNS;
export const CDROUTPUT_COLUMN_NAMES = Object.keys(CDROUTPUT_COLUMNS) as CdroutputColumn[];

/** A SQL identifier, double-quoted (names come from this module only). */
export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
