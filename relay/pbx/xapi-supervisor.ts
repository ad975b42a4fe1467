// The supervisor's XAPI reads, parsed leniently (3CX's entities are wide and
// mostly nullable, swagger `Pbx.Queue`, `Pbx.QueueAgent`, `Pbx.User`): an
// entity without its key is skipped, a missing value gets a safe default.
import { z } from 'zod';
import { RelayError } from '../core/relay-error.js';

export type XapiQueueStatus = 'LoggedIn' | 'LoggedOut';

export interface XapiQueueInfo {
  id: number;
  number: string;
  name: string;
  /** `SLATime` in seconds; null when 3CX leaves it unset. */
  slaSeconds: number | null;
  /** Extension numbers of the queue's agents (`$expand=Agents`). */
  agents: string[];
}

export interface XapiUserInfo {
  id: number;
  number: string;
  name: string;
  queueStatus: XapiQueueStatus;
  registered: boolean;
}

const text = z.union([z.string(), z.number()]).nullish().transform((v) => (v == null ? '' : String(v)));
const envelope = z.object({ value: z.array(z.unknown()) });

const queueEntity = z.object({
  Id: z.coerce.number().int(),
  Number: text,
  Name: text,
  SLATime: z.number().int().nullish().catch(null),
  Agents: z.array(z.object({ Number: text }).loose()).nullish().catch(null),
});

const userEntity = z.object({
  Id: z.coerce.number().int(),
  Number: text,
  DisplayName: text,
  FirstName: text,
  LastName: text,
  QueueStatus: z.string().nullish(),
  IsRegistered: z.boolean().nullish(),
});

function entities(body: unknown, what: string): unknown[] {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) throw RelayError.upstream(`3CX answered ${what} without an OData "value" list`);
  return parsed.data.value;
}

export function parseQueues(body: unknown): XapiQueueInfo[] {
  return entities(body, 'Queues').flatMap((item) => {
    const q = queueEntity.safeParse(item);
    if (!q.success || !q.data.Number) return [];
    return [{ id: q.data.Id, number: q.data.Number, name: q.data.Name, slaSeconds: q.data.SLATime ?? null, agents: (q.data.Agents ?? []).map((a) => a.Number).filter(Boolean) }];
  });
}

export function parseUsers(body: unknown): XapiUserInfo[] {
  return entities(body, 'Users').flatMap((item) => {
    const u = userEntity.safeParse(item);
    if (!u.success || !u.data.Number) return [];
    const d = u.data;
    return [{
      id: d.Id,
      number: d.Number,
      name: d.DisplayName || `${d.FirstName} ${d.LastName}`.trim(),
      queueStatus: d.QueueStatus === 'LoggedIn' ? 'LoggedIn' : 'LoggedOut',
      registered: d.IsRegistered === true,
    }];
  });
}
