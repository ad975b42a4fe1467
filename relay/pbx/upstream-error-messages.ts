// Clear words for the failures an admin meets on first contact with a PBX,
// instead of "3CX answered 403". Each names the likely cause and where to
// fix it (3CX V20 Admin Console).
import { RelayError } from '../core/relay-error.js';
import { upstreamMessage } from './upstream-http.js';

/** Code of the error when XAPI answers 403. */
export const XAPI_FORBIDDEN = 'upstream_forbidden';
/** Code of the error when the call-record table is missing or empty. */
export const CDR_TABLE_UNUSABLE = 'cdr_table_unusable';

/** XAPI answered 403: the token was accepted, so the secret is right; the licence or the client's role is not. */
export function xapiForbidden(what: string, body: unknown): RelayError {
  const { message } = upstreamMessage(body);
  return new RelayError(
    XAPI_FORBIDDEN,
    502,
    `3CX refused ${what} (HTTP 403${message ? `: ${message}` : ''}): the API needs an 8SC+ Enterprise licence, ` +
      'and the API client\'s role must allow this (Admin Console → Integrations → API → the client → role, e.g. System Owner). ' +
      'The client id and secret themselves were accepted',
    { status: 403 },
  );
}

/** The hint shown next to "Call Control monitors N of M extensions". */
export const COVERAGE_HINT =
  'Add the other extensions in the 3CX Admin Console → Integrations → API → this client → monitored extensions; ' +
  'live calls and drop work for every extension regardless (XAPI).';

/**
 * `cdroutput` is missing (before 20.0.6, or a database that is not 3CX's)
 * or empty (the Data Connector purges synced rows): point the relay at the
 * Data Connector's PostgreSQL copy, which has the same table shape.
 */
export function cdrTableUnusable(kind: 'missing' | 'empty', table: string): string {
  const what = kind === 'missing' ? `has no ${table} table` : `has an empty ${table} table`;
  return `the call-record database ${what}: 3CX V20 keeps call records in ${table} from 20.0.6 on, and the Data Connector ` +
    `may purge them after syncing (PurgeAfterSync). Point the relay at the Data Connector's PostgreSQL copy instead (same ${table} table shape)`;
}
