// Input schemas at every edge (REST, admin API, IPC). One source: the REST
// layer, the OpenAPI document and the Electron IPC validators all use these.
import { z } from 'zod';
import { COMPONENTS, ERROR_COMPONENTS, SEVERITIES } from './api-types.js';
import { ALERT_RULE_KINDS, ALERT_STATES } from './supervisor-types.js';

const MAX_RANGE_DAYS = 366;
const isoDate = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time, e.g. 2026-11-01T00:00:00Z' })
  .or(z.iso.date({ message: 'must be an ISO-8601 date, e.g. 2026-11-01' }));

function withRange<T extends z.ZodObject<{ from: typeof isoDate; to: typeof isoDate }>>(schema: T) {
  return schema.superRefine((v, ctx) => {
    const from = Date.parse(v.from);
    const to = Date.parse(v.to);
    if (from > to) ctx.addIssue({ code: 'custom', path: ['from'], message: '`from` must not be after `to`' });
    else if (to - from > MAX_RANGE_DAYS * 86_400_000)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${MAX_RANGE_DAYS} days` });
  });
}

export const cdrRangeQuery = withRange(z.object({ from: isoDate, to: isoDate }).strict());
export const cdrPageQuery = withRange(
  z.object({
    from: isoDate,
    to: isoDate,
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this relay issued').optional(),
  }).strict(),
);
export type CdrPageQuery = z.infer<typeof cdrPageQuery>;
export type CdrRangeQuery = z.infer<typeof cdrRangeQuery>;

export const callIdParam = z.coerce.number().int().positive();
export const makeCallBody = z.object({
  from: z.string().regex(/^[0-9]{1,10}$/, 'must be an extension number'),
  to: z.string().regex(/^\+?[0-9*#]{1,32}$/, 'must be a dialable number'),
}).strict();
export type MakeCallBody = z.infer<typeof makeCallBody>;

export const wsQuery = z.object({
  ticket: z.string().max(200).optional(),
  since: z.coerce.number().int().min(0).optional(),
}).strict();

export const username = z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'may use letters, digits, dot, dash and underscore');
// bcrypt reads at most 72 bytes: a longer password would be cut silently,
// so it is refused instead (contract §4), counted in UTF-8 as bcrypt sees it.
export const BCRYPT_MAX_BYTES = 72;
const utf8 = new TextEncoder(); // not Buffer: the renderer validates with these schemas too
const withinBcrypt = (s: string): boolean => utf8.encode(s).length <= BCRYPT_MAX_BYTES;
const BCRYPT_LIMIT = `must be at most ${BCRYPT_MAX_BYTES} bytes of UTF-8 (bcrypt ignores the rest)`;
export const password = z.string().min(10, 'must be at least 10 characters').refine(withinBcrypt, BCRYPT_LIMIT);
/** A password to check: any length that could have been set. */
const passwordToCheck = z.string().min(1).refine(withinBcrypt, BCRYPT_LIMIT);
export const role = z.enum(['admin', 'viewer']);
export const permission = z.enum(['read', 'control']);

export const loginBody = z.object({ username: z.string().min(1).max(64), password: passwordToCheck, deviceToken: z.string().max(512).optional() }).strict();
export const createUserBody = z.object({ username, password, role }).strict();
export type CreateUserBody = z.infer<typeof createUserBody>;
export const changePasswordBody = z.object({ password, currentPassword: passwordToCheck.optional() }).strict();
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;
// Control characters (newlines, escapes, NUL), bidi overrides and line
// separators would forge lines in logs and exports or disguise a name in the
// dashboard; a client name is one plain line.
const plainLine = /^[^\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]*$/u;
export const createApiKeyBody = z.object({
  clientName: z.string().trim().min(1).max(100).regex(plainLine, 'must be one line without control characters'),
  permissions: z.array(permission).min(1).max(2).transform((p) => [...new Set(p)]),
}).strict();
export type CreateApiKeyBody = z.infer<typeof createApiKeyBody>;

export const componentParam = z.enum(COMPONENTS);
export const errorQuery = z.object({
  component: z.enum(ERROR_COMPONENTS).optional(),
  severity: z.enum(SEVERITIES).optional(),
  acknowledged: z.enum(['true', 'false']).transform((v) => v === 'true').or(z.boolean()).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
}).strict();
export const idParam = z.coerce.number().int().positive();
export const apiKeyIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

// ---- Alert rules and history (contract §2, §5) ----
const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a local time HH:MM, 00:00 to 23:59');
export const quietHours = z.object({
  days: z.array(z.number().int().min(0, 'days are 0 (Sunday) to 6 (Saturday)').max(6, 'days are 0 (Sunday) to 6 (Saturday)'))
    .min(1).max(7).transform((d) => [...new Set(d)].sort((a, b) => a - b)),
  from: hhmm,
  to: hhmm,
}).strict().refine((q) => q.from !== q.to, { message: '`from` and `to` must differ (an empty window silences nothing)', path: ['to'] });
export const alertRuleInput = z.object({
  name: z.string().trim().min(1).max(100).regex(plainLine, 'must be one line without control characters'),
  kind: z.enum(ALERT_RULE_KINDS),
  threshold: z.number().finite().min(0, 'must be 0 or more').max(1_000_000),
  queueId: z.number().int().positive().nullable().default(null),
  severity: z.enum(SEVERITIES).default('warning'),
  quietHours: z.array(quietHours).max(20).default([]),
  cooldownS: z.number().int().min(0, 'must be 0 or more').max(7 * 86_400).default(0),
  enabled: z.boolean().default(true),
}).strict();
export type AlertRuleInputBody = z.infer<typeof alertRuleInput>;
export const alertQuery = z.object({
  state: z.enum(ALERT_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
}).strict();
/** An extension number as 3CX shows it (digits, at most 20). */
export const extensionParam = z.string().regex(/^\d{1,20}$/, 'is an extension number (digits)');
export const queueStatusBody = z.object({ status: z.enum(['LoggedIn', 'LoggedOut']) }).strict();
