// A finished call as 3CX V20 records it: one `cdroutput` row per segment
// ("leg"), chained by originating_cdr_id and grouped by call_history_id.
// Both the live simulator (cdr-writer) and the bulk seed (cdr-seed) build
// their rows here, so their shapes cannot drift apart.
import { CDROUTPUT_COLUMNS, CDROUTPUT_COLUMN_NAMES, CDROUTPUT_TABLE, sqlIdent, type CdroutputColumn } from './cdroutput-table.js';
import type { SqlClient } from './cdr-schema.js';
import { TRUNK, findExtension, findQueue } from './pbx-directory.js';

/** One side of a segment, the `source_*` / `destination_*` column family. */
export interface CdrParty {
  dnNumber: string | null;
  dnType: string;
  dnName: string | null;
  participantName: string | null;
  phoneNumber: string | null;
  trunkDid: string | null;
  entityType: string;
}

export interface CallLeg {
  source: CdrParty;
  destination: CdrParty;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date;
  /** How the segment began: call_init, route_to, transfer ([unconfirmed] 3CX's value list). */
  creationMethod: string;
  /** Why it ended: src_participant_terminated, dst_participant_terminated, continued_in, cancelled, ... */
  terminationReason: string;
  terminationReasonDetails?: string | null;
}

/** One `cdroutput` row, keyed by 3CX's column names. */
export type CdrRow = Record<CdroutputColumn, string | Date | null>;

/** Party value for a DN of the directory (extension or queue). */
export function dnParty(dn: string): CdrParty {
  const ext = findExtension(dn);
  if (ext) {
    return { dnNumber: dn, dnType: 'extension', dnName: ext.name, participantName: ext.name, phoneNumber: dn, trunkDid: null, entityType: 'extension' };
  }
  const q = findQueue(dn);
  return { dnNumber: dn, dnType: q ? 'queue' : 'extension', dnName: q?.name ?? null, participantName: q?.name ?? null, phoneNumber: null, trunkDid: null, entityType: q ? 'queue' : 'extension' };
}

/** Party value for an outside number reached over the trunk: 3CX records the trunk as dn type `provider`, entity `external_line`. */
export function outsideParty(number: string, trunkDid: string | null, name: string | null = null): CdrParty {
  return { dnNumber: TRUNK.dn, dnType: 'provider', dnName: TRUNK.name, participantName: name, phoneNumber: number, trunkDid, entityType: 'external_line' };
}

/** Rows for one call: ids come from `newId` (seeded for the seed, random live). */
export function legsToRows(legs: readonly CallLeg[], newId: () => string): CdrRow[] {
  const callHistoryId = newId();
  let previous: string | null = null;
  return legs.map((leg) => {
    const cdrId = newId();
    const row: CdrRow = {
      cdr_id: cdrId,
      call_history_id: callHistoryId,
      cdr_started_at: leg.startedAt,
      cdr_answered_at: leg.answeredAt,
      cdr_ended_at: leg.endedAt,
      source_dn_number: leg.source.dnNumber,
      source_dn_type: leg.source.dnType,
      source_dn_name: leg.source.dnName,
      source_participant_name: leg.source.participantName,
      source_participant_phone_number: leg.source.phoneNumber,
      source_participant_trunk_did: leg.source.trunkDid,
      source_entity_type: leg.source.entityType,
      destination_dn_number: leg.destination.dnNumber,
      destination_dn_type: leg.destination.dnType,
      destination_dn_name: leg.destination.dnName,
      destination_participant_name: leg.destination.participantName,
      destination_participant_phone_number: leg.destination.phoneNumber,
      destination_participant_trunk_did: leg.destination.trunkDid,
      destination_entity_type: leg.destination.entityType,
      termination_reason: leg.terminationReason,
      termination_reason_details: leg.terminationReasonDetails ?? null,
      creation_method: leg.creationMethod,
      originating_cdr_id: previous,
    };
    previous = cdrId;
    return row;
  });
}

// json_to_recordset reads the JSON by column name; the INSERT names the same columns.
const COLUMN_LIST = CDROUTPUT_COLUMN_NAMES.map(sqlIdent).join(', ');
const INSERT_SQL = `INSERT INTO ${sqlIdent(CDROUTPUT_TABLE)} (${COLUMN_LIST})
  SELECT ${COLUMN_LIST}
  FROM json_to_recordset($1::json) AS r(${CDROUTPUT_COLUMN_NAMES.map((c) => `${sqlIdent(c)} ${CDROUTPUT_COLUMNS[c]}`).join(', ')})`;

/**
 * Bulk insert: the batch travels as one JSON parameter that PostgreSQL
 * expands with json_to_recordset, so 5,000 rows cost one round trip and
 * one parse, and serialising is the engine's native JSON.stringify.
 */
export async function insertCdrRows(client: SqlClient, rows: readonly CdrRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(INSERT_SQL, [JSON.stringify(rows)]);
}
