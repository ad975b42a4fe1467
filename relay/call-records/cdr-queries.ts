// From validated edge input (contract schemas cdrPageQuery / cdrRangeQuery)
// to the CDR port's query types, in one place for the REST route, the admin
// route and the desktop IPC.
import type { CdrPage } from '../contract/api-types.js';
import { RelayError } from '../core/relay-error.js';
import type { CdrPageRequest, CdrPort, CdrRangeQuery } from '../pbx/upstream.js';

export function requireCdr(cdr: CdrPort | undefined): CdrPort {
  if (!cdr || cdr.health().state === 'unconfigured') throw RelayError.unconfigured('the call-record database');
  return cdr;
}

export function toRange(q: { from: string; to: string }): CdrRangeQuery {
  return { from: new Date(q.from), to: new Date(q.to) };
}

export function toPageRequest(q: { from: string; to: string; limit?: number | undefined; cursor?: string | undefined }): CdrPageRequest {
  return { ...toRange(q), limit: q.limit ?? 100, ...(q.cursor ? { cursor: q.cursor } : {}) };
}

export function cdrPage(cdr: CdrPort | undefined, q: { from: string; to: string; limit?: number | undefined; cursor?: string | undefined }): Promise<CdrPage> {
  return requireCdr(cdr).page(toPageRequest(q));
}
