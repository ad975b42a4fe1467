// What a makecall answered. Call Control's `POST …/makecall` answers
// `{finalstatus, reason, result, reasontext}` and XAPI's `Users/Pbx.MakeCall`
// a CallControlResultResponse; a refused call can come back as HTTP 200
// without `result` and with only `reasontext`, so the status alone does not
// say the call was placed. Keys are matched without regard to case because
// the XAPI body's casing is [unconfirmed] (swagger names the schema only).
import { RelayError } from '../core/relay-error.js';

/** Code of the error when 3CX answered but did not place the call. */
export const MAKECALL_FAILED = 'makecall_failed';

function field(body: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(body).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : body[key];
}

function text(v: unknown): string | null {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (typeof v === 'number') return String(v);
  return null;
}

/**
 * The call id of a placed call, or a RelayError `makecall_failed` (502:
 * the request was valid, 3CX declined it for a reason of its own, e.g. an
 * unregistered phone or no free line) carrying 3CX's reason text.
 */
export function makeCallOutcome(body: unknown, failedPrefix: string): { callId?: string } {
  // Swagger lets XAPI answer MakeCall with no body at all: placed, id unknown.
  if (body === null || body === undefined || body === '') return {};
  const o = typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const result = field(o, 'result');
  if (result && typeof result === 'object') {
    const callId = text(field(result as Record<string, unknown>, 'callid'));
    return callId ? { callId } : {};
  }
  const reason = text(field(o, 'reasontext')) ?? text(field(o, 'reason')) ?? text(field(o, 'finalstatus'));
  throw new RelayError(MAKECALL_FAILED, 502, `${failedPrefix}${reason ? `: ${reason}` : ' (3CX gave no reason)'}`, {
    finalstatus: text(field(o, 'finalstatus')),
    reason: text(field(o, 'reason')),
  });
}
