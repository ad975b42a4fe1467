// The supervisor's live figures for integrations: read from the one shared
// SupervisorService, so a request never reaches the PBX.
import type { AgentState, PbxOverview, QueueFigures } from '../../contract/supervisor-types.js';
import { RelayError } from '../../core/relay-error.js';
import type { RouteHandlers } from '../route-handler.js';

export interface SupervisorView {
  queues(): QueueFigures[];
  queue(id: number): QueueFigures | undefined;
  agents(): AgentState[];
  pbx(): PbxOverview;
}

export function relaySupervisorHandlers(view: SupervisorView): RouteHandlers<'relayQueues' | 'relayQueue' | 'relayAgents' | 'relayPbx'> {
  return {
    relayQueues: () => ({ queues: view.queues() }),
    relayQueue: ({ params }) => {
      const q = view.queue(params.id);
      if (!q) throw RelayError.notFound(`no queue ${params.id}`);
      return q;
    },
    relayAgents: () => ({ agents: view.agents() }),
    relayPbx: () => view.pbx(),
  };
}
