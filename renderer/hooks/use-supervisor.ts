// The supervisor view's live data: queues and agents (polled and pushed), the
// fired alerts (reloaded on every `alert` frame) and the PBX overview.
import type { AgentState, AlertEntry, PbxOverview, QueueFigures } from '../../relay/contract/supervisor-types.js';
import type { SupervisorOperations } from '../client/supervisor-operations.js';
import { useRelayClient } from './relay-context.js';
import { LIVE_POLL_MS, useLiveList } from './use-live-list.js';
import { useResource, type Resource } from './use-resource.js';

const byNumber = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });

export function useSupervisor(): SupervisorOperations | null {
  return useRelayClient().supervisor;
}

export function useQueues(): Resource<QueueFigures[]> {
  const supervisor = useSupervisor();
  return useLiveList<QueueFigures>({
    load: supervisor ? () => supervisor.queues() : null,
    pick: (f) => (f.type === 'queue_stats' ? f.value : null),
    keyOf: (q) => String(q.id),
    asOfOf: (q) => q.callsWaiting.asOf,
    compare: (a, b) => byNumber(a.number, b.number),
  });
}

export function useAgents(): Resource<AgentState[]> {
  const supervisor = useSupervisor();
  return useLiveList<AgentState>({
    load: supervisor ? () => supervisor.agents() : null,
    pick: (f) => (f.type === 'agent_state' ? f.value : null),
    keyOf: (a) => a.extension,
    asOfOf: (a) => a.asOf,
    compare: (a, b) => byNumber(a.extension, b.extension),
  });
}

/** Alerts that fired and are neither cleared nor acknowledged, newest first. */
export function useFiredAlerts(): Resource<AlertEntry[]> {
  const supervisor = useSupervisor();
  return useResource(() => (supervisor ? supervisor.listAlerts({ state: 'fired', limit: 20 }) : Promise.resolve([])), [supervisor], {
    pollMs: supervisor ? LIVE_POLL_MS : 0,
    refreshOn: (f) => f.type === 'alert',
  });
}

export function usePbxOverview(): Resource<PbxOverview | null> {
  const supervisor = useSupervisor();
  return useResource(() => (supervisor ? supervisor.pbx() : Promise.resolve(null)), [supervisor], {
    pollMs: supervisor ? LIVE_POLL_MS : 0,
    refreshOn: (f) => f.type === 'connection_state',
  });
}
