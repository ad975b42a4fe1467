// The supervisor's view (contract §2, §3, §5): queues and agents live, the
// PBX's own health, alert rules and their history. Every figure carries the
// age of the data behind it, so the dashboard can grey out a frozen number
// instead of letting a supervisor act on it (LIVE / STALE).
import type { CallControlCoverage, Severity } from './common-types.js';

/**
 * Where a figure comes from: `pbx` = read live from 3CX (XAPI, Call Control),
 * `cdr` = 3CX's call records (its database), `observed` = counted by the relay
 * from what it saw since it started (no call records available).
 */
export const FIGURE_SOURCES = ['pbx', 'cdr', 'observed'] as const;
export type FigureSource = (typeof FIGURE_SOURCES)[number];

/** A figure and when the PBX (or the call records) last confirmed it. */
export interface Sourced<T> {
  value: T;
  source?: FigureSource;
  /** ISO-8601 time of the newest data behind the value; null before the first answer. */
  asOf: string | null;
  /** True once the data is older than the relay's staleness threshold for its source. */
  stale: boolean;
}

export interface QueueFigures {
  /** XAPI `Queues` Id. */
  id: number;
  /** The queue's extension number, e.g. `800`. */
  number: string;
  name: string;
  /** Answered within this many seconds counts toward the service level. */
  slaSeconds: number;
  callsWaiting: Sourced<number>;
  /** Seconds the longest-waiting caller has waited; 0 when nobody waits. */
  longestWaitS: Sourced<number>;
  agentsLoggedIn: Sourced<number>;
  agentsAvailable: Sourced<number>;
  agentsBusy: Sourced<number>;
  answeredToday: Sourced<number>;
  abandonedToday: Sourced<number>;
  /** Percent of today's answered-or-abandoned calls answered within `slaSeconds`; null with no calls yet. */
  serviceLevelToday: Sourced<number | null>;
  avgWaitS: Sourced<number | null>;
  avgTalkS: Sourced<number | null>;
}

export interface AgentCall {
  /** XAPI ActiveCalls Id. */
  id: number;
  /** The other party as 3CX names it. */
  party: string;
  status: string;
  /** ISO-8601 time the call was established (or started ringing). */
  since: string;
}

export interface AgentState {
  extension: string;
  name: string;
  /** XAPI `Users` `QueueStatus`: one status per user. */
  queueStatus: 'LoggedIn' | 'LoggedOut';
  /** Numbers of the queues the agent belongs to. */
  queues: string[];
  /** A phone is registered for the extension. */
  registered: boolean;
  currentCall: AgentCall | null;
  answeredToday: number | null;
  /** Where `answeredToday` comes from (see FigureSource). */
  answeredTodaySource?: FigureSource;
  asOf: string | null;
  stale: boolean;
}

export interface PbxOverview {
  version: string | null;
  licenseActive: boolean | null;
  extensions: { registered: number | null; total: number | null };
  trunks: { registered: number | null; total: number | null };
  callControlCoverage: CallControlCoverage | null;
  asOf: string | null;
  stale: boolean;
}

export const ALERT_RULE_KINDS = [
  'calls_waiting', // calls waiting in a queue (or any queue) > threshold
  'longest_wait', // longest wait > threshold seconds
  'service_level', // service level this hour < threshold percent
  'agents_available', // agents available < threshold
  'trunk_down', // trunks registered < total
  'upstream_down', // an upstream component disconnected for > threshold seconds
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

/** A window when a rule stays silent: days (0 = Sunday … 6 = Saturday) and local times `HH:MM`; `to` before `from` spans midnight. */
export interface QuietHours {
  days: number[];
  from: string;
  to: string;
}

export interface AlertRuleInput {
  name: string;
  kind: AlertRuleKind;
  threshold: number;
  /** XAPI queue Id the rule watches; null = any queue (queue kinds) or not applicable. */
  queueId: number | null;
  severity: Severity;
  quietHours: QuietHours[];
  /** After clearing, the rule does not fire again for this many seconds. */
  cooldownS: number;
  enabled: boolean;
}

export interface AlertRule extends AlertRuleInput {
  id: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export const ALERT_STATES = ['fired', 'cleared', 'acknowledged'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface AlertEntry {
  id: number;
  ruleId: number;
  /** The rule's name when it fired. */
  rule: string;
  severity: Severity;
  state: AlertState;
  message: string;
  firedAt: string;
  clearedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  /** Fired inside the rule's quiet hours: recorded, no notification. */
  silenced: boolean;
}

/** `GET /relay/alerts`, `GET /admin/alerts`: newest first, `before` pages by id. */
export interface AlertHistoryQuery {
  state?: AlertState;
  limit?: number;
  before?: number;
}

export interface AlertFrameData {
  id: number;
  rule: string;
  severity: Severity;
  state: AlertState;
  message: string;
}
