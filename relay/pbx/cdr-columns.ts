// The ONE place that knows 3CX's call-record table and column names. 3CX V20
// keeps one row per call segment in `cdroutput`; another release with other
// names is an edit here and nowhere else. The contract's `Cdr` keys are the
// V20 names, so the mapping below is the identity today.
import type { Cdr } from '../contract/api-types.js';

export const CDR_TABLE = 'cdroutput';

/** Contract field → column in CDR_TABLE. */
export const CDR_COLUMNS: { readonly [K in keyof Cdr]: string } = {
  cdr_id: 'cdr_id',
  call_history_id: 'call_history_id',
  cdr_started_at: 'cdr_started_at',
  cdr_answered_at: 'cdr_answered_at',
  cdr_ended_at: 'cdr_ended_at',
  source_dn_number: 'source_dn_number',
  source_dn_type: 'source_dn_type',
  source_dn_name: 'source_dn_name',
  source_participant_name: 'source_participant_name',
  source_participant_phone_number: 'source_participant_phone_number',
  source_participant_trunk_did: 'source_participant_trunk_did',
  source_entity_type: 'source_entity_type',
  destination_dn_number: 'destination_dn_number',
  destination_dn_type: 'destination_dn_type',
  destination_dn_name: 'destination_dn_name',
  destination_participant_name: 'destination_participant_name',
  destination_participant_phone_number: 'destination_participant_phone_number',
  destination_participant_trunk_did: 'destination_participant_trunk_did',
  destination_entity_type: 'destination_entity_type',
  termination_reason: 'termination_reason',
  termination_reason_details: 'termination_reason_details',
  creation_method: 'creation_method',
  originating_cdr_id: 'originating_cdr_id',
};

/** Fields holding a point in time (answered as ISO-8601 strings). */
export const CDR_TIME_FIELDS = ['cdr_started_at', 'cdr_answered_at', 'cdr_ended_at'] as const satisfies readonly (keyof Cdr)[];

/** The keyset: newest first by start time, ties broken by the row id. */
export const CDR_ORDER_TIME: keyof Cdr = 'cdr_started_at';
export const CDR_ORDER_ID: keyof Cdr = 'cdr_id';

export const CDR_FIELDS = Object.keys(CDR_COLUMNS) as (keyof Cdr)[];

/** A SQL identifier, double-quoted (names come from this module only, never from input). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
