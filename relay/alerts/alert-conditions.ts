// Whether one rule's condition holds in a snapshot, per kind. Three answers:
// breached (with the message a person reads), clear, or unknown — no data or
// only stale data — in which case the engine leaves the rule as it was: a
// frozen figure neither raises nor clears an alert (an upstream_down rule is
// what tells a supervisor the data stopped).
import type { ComponentName } from '../contract/api-types.js';
import type { AlertRule, QueueFigures, Sourced } from '../contract/supervisor-types.js';
import type { AlertSnapshot } from './alert-snapshot.js';

export type Condition = { breached: true; message: string } | { breached: false } | null;

const CLEAR: Condition = { breached: false };

function queueLabel(q: QueueFigures): string {
  return `queue ${q.name} (${q.number})`;
}

/** A queue kind: the rule's queue, or any queue when `queueId` is null; breached when any watched queue is. */
function queueCondition(
  rule: AlertRule,
  snap: AlertSnapshot,
  figure: (q: QueueFigures) => Sourced<number | null>,
  breached: (v: number) => boolean,
  describe: (q: QueueFigures, v: number) => string,
): Condition {
  const watched = snap.queues.filter((q) => rule.queueId === null || q.id === rule.queueId);
  let known = false;
  for (const q of watched) {
    const f = figure(q);
    if (f.stale || f.value === null) continue;
    known = true;
    if (breached(f.value)) return { breached: true, message: describe(q, f.value) };
  }
  return known ? CLEAR : null;
}

function trunkCondition(snap: AlertSnapshot): Condition {
  const trunks = snap.pbx?.trunks;
  if (!snap.pbx || snap.pbx.stale || !trunks || trunks.registered === null || trunks.total === null) return null;
  return trunks.registered < trunks.total
    ? { breached: true, message: `${trunks.total - trunks.registered} of ${trunks.total} trunks not registered` }
    : CLEAR;
}

function upstreamCondition(rule: AlertRule, snap: AlertSnapshot, now: number): Condition {
  const down: string[] = [];
  for (const [name, c] of Object.entries(snap.components) as [ComponentName, AlertSnapshot['components'][ComponentName]][]) {
    // Not configured is a choice, not an outage.
    if (c.state === 'connected' || c.state === 'unconfigured') continue;
    const since = Date.parse(c.since);
    const downS = Number.isFinite(since) ? (now - since) / 1000 : 0;
    if (downS > rule.threshold) down.push(`${name} ${c.state} since ${c.since}${c.lastError ? ` (${c.lastError})` : ''}`);
  }
  return down.length ? { breached: true, message: `upstream down for more than ${rule.threshold} s: ${down.join('; ')}` } : CLEAR;
}

export function evaluateCondition(rule: AlertRule, snap: AlertSnapshot, now: number): Condition {
  const n = rule.threshold;
  switch (rule.kind) {
    case 'calls_waiting':
      return queueCondition(rule, snap, (q) => q.callsWaiting, (v) => v > n, (q, v) => `${queueLabel(q)}: ${v} calls waiting (more than ${n})`);
    case 'longest_wait':
      return queueCondition(rule, snap, (q) => q.longestWaitS, (v) => v > n, (q, v) => `${queueLabel(q)}: longest wait ${v} s (more than ${n} s)`);
    case 'service_level':
      // The rule means "this hour"; the queue figures carry today's service
      // level only, so today's stands in until an hourly figure exists.
      return queueCondition(rule, snap, (q) => q.serviceLevelToday, (v) => v < n, (q, v) => `${queueLabel(q)}: service level ${Math.round(v)} % (below ${n} %)`);
    case 'agents_available':
      return queueCondition(rule, snap, (q) => q.agentsAvailable, (v) => v < n, (q, v) => `${queueLabel(q)}: ${v} agents available (fewer than ${n})`);
    case 'trunk_down':
      return trunkCondition(snap);
    case 'upstream_down':
      return upstreamCondition(rule, snap, now);
  }
}
