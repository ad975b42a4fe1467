// Response shapes of the supervisor routes (GET /relay/queues, /relay/agents,
// /relay/pbx), checked against supervisor-types.ts with `satisfies`, so the
// OpenAPI document cannot drift from the answers.
import { z } from 'zod';
import { FIGURE_SOURCES, type AgentState, type PbxOverview, type QueueFigures, type Sourced } from './supervisor-types.js';

const iso = z.string().describe('ISO-8601 date-time');
const nullableInt = z.number().int().nullable();

function sourced<T extends z.ZodType>(value: T) {
  return z.object({ value, source: z.enum(FIGURE_SOURCES).optional(), asOf: iso.nullable(), stale: z.boolean() });
}
const sourcedCount = sourced(z.number().int().nonnegative()) satisfies z.ZodType<Sourced<number>>;
const sourcedMaybe = sourced(z.number().nullable()) satisfies z.ZodType<Sourced<number | null>>;

export const queueFigures = z.object({
  id: z.number().int(),
  number: z.string(),
  name: z.string(),
  slaSeconds: z.number().int(),
  callsWaiting: sourcedCount,
  longestWaitS: sourcedCount,
  agentsLoggedIn: sourcedCount,
  agentsAvailable: sourcedCount,
  agentsBusy: sourcedCount,
  answeredToday: sourcedCount,
  abandonedToday: sourcedCount,
  serviceLevelToday: sourcedMaybe,
  avgWaitS: sourcedMaybe,
  avgTalkS: sourcedMaybe,
}) satisfies z.ZodType<QueueFigures>;

export const queueList = z.object({ queues: z.array(queueFigures) });

export const agentState = z.object({
  extension: z.string(),
  name: z.string(),
  queueStatus: z.enum(['LoggedIn', 'LoggedOut']),
  queues: z.array(z.string()),
  registered: z.boolean(),
  currentCall: z.object({ id: z.number().int(), party: z.string(), status: z.string(), since: iso }).nullable(),
  answeredToday: nullableInt,
  answeredTodaySource: z.enum(FIGURE_SOURCES).optional(),
  asOf: iso.nullable(),
  stale: z.boolean(),
}) satisfies z.ZodType<AgentState>;

export const agentList = z.object({ agents: z.array(agentState) });

const registeredOfTotal = z.object({ registered: nullableInt, total: nullableInt });

export const pbxOverview = z.object({
  version: z.string().nullable(),
  licenseActive: z.boolean().nullable(),
  extensions: registeredOfTotal,
  trunks: registeredOfTotal,
  callControlCoverage: z.object({
    monitoredExtensions: z.number().int(),
    totalExtensions: nullableInt,
    summary: z.string(),
    hint: z.string().nullable(),
  }).nullable(),
  asOf: iso.nullable(),
  stale: z.boolean(),
}) satisfies z.ZodType<PbxOverview>;
