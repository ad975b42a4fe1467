// The simulated PBX's numbering plan as XAPI shows it: `GET Users` (one per
// extension) and `GET Queues` (agents behind `$expand=Agents`). Property
// names follow 3CX V20's Pbx.User / Pbx.Queue as integrators' code uses them
// [unconfirmed: the complete property lists]; only a useful subset is here.
import { EXTENSIONS, QUEUES, findExtension } from './pbx-directory.js';
import type { QueueAgents } from './queue-agents.js';

export interface XapiUser {
  Id: number;
  Number: string;
  FirstName: string;
  LastName: string;
  DisplayName: string;
  EmailAddress: string;
  Enabled: boolean;
  IsRegistered: boolean;
  CurrentProfileName: string;
  QueueStatus: 'LoggedIn' | 'LoggedOut';
}

/** Pbx.QueueAgent: `Id` is the agent's user Id. */
export interface XapiQueueAgent { Id: number; Number: string; Name: string; SkillGroup: string }

export interface XapiQueue {
  Id: number;
  Number: string;
  Name: string;
  PollingStrategy: string;
  RingTimeout: number;
  IsRegistered: boolean;
  SLATime: number;
  Agents?: XapiQueueAgent[];
}

export const USER_PROPERTIES = ['Id', 'Number', 'FirstName', 'LastName', 'DisplayName', 'EmailAddress', 'Enabled', 'IsRegistered', 'CurrentProfileName', 'QueueStatus'] as const;
export const QUEUE_PROPERTIES = ['Id', 'Number', 'Name', 'PollingStrategy', 'RingTimeout', 'IsRegistered', 'SLATime'] as const;
export const QUEUE_AGENT_PROPERTIES = ['Id', 'Number', 'Name', 'SkillGroup'] as const;

export function xapiUsers(agents: QueueAgents): XapiUser[] {
  return EXTENSIONS.map((e, i) => {
    const [first = '', ...rest] = e.name.split(' ');
    const last = rest.join(' ');
    return {
      Id: i + 1,
      Number: e.dn,
      FirstName: first,
      LastName: last,
      DisplayName: e.name,
      EmailAddress: `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + '@example.com',
      Enabled: true,
      IsRegistered: true,
      CurrentProfileName: 'Available',
      QueueStatus: agents.get(e.dn),
    };
  });
}

export function xapiQueues(opts: { expandAgents: boolean }): XapiQueue[] {
  return QUEUES.map((q, i) => ({
    Id: i + 1,
    Number: q.dn,
    Name: q.name,
    PollingStrategy: 'Hunt',
    RingTimeout: 20,
    IsRegistered: true,
    SLATime: q.slaSeconds,
    ...(opts.expandAgents ? { Agents: agentsOf(q.agents) } : {}),
  }));
}

function agentsOf(dns: readonly string[]): XapiQueueAgent[] {
  return dns.map((dn) => ({ Id: EXTENSIONS.findIndex((e) => e.dn === dn) + 1, Number: dn, Name: findExtension(dn)?.name ?? dn, SkillGroup: '1' }));
}

/** `GET Queues({id})/Agents`, or undefined for a queue that does not exist. */
export function xapiQueueAgents(queueId: number): XapiQueueAgent[] | undefined {
  const q = QUEUES[queueId - 1];
  return q ? agentsOf(q.agents) : undefined;
}

/** The extension behind a `Users({id})` key, or undefined. */
export function userDn(userId: number): string | undefined {
  return EXTENSIONS[userId - 1]?.dn;
}
