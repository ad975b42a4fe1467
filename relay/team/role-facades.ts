// What a follower answers from: the leader's live state as mirrored by the
// team stream, behind the same objects the HTTP routes, the WebSocket hello
// and the admin services already use, so http/ and admin/ know nothing of
// roles. A follower has no upstream clients at all; these are its only
// source of live figures. The leader answers from its own services.
import type { ActiveCallsResponse, Health } from '../contract/api-types.js';
import type { AgentState, PbxOverview, QueueFigures } from '../contract/supervisor-types.js';
import { RelayError } from '../core/relay-error.js';
import { ActiveCallsService, type ActiveCallsDeps } from '../live-calls/active-calls-service.js';
import { relayStatus } from '../monitor/connection-monitor.js';
import { SupervisorService, type SupervisorDeps } from '../supervisor/supervisor-service.js';
import type { MirroredKey, MirroredState } from './team-types.js';

/** The part of team mode the facades read: this relay's role now, and the mirror. */
export interface TeamView {
  /** True while another relay leads (or none yet): answer from the mirror. */
  following(): boolean;
  mirrored<K extends MirroredKey>(key: K): MirroredState[K] | null;
}

const noLeaderYet = (what: string) => RelayError.upstream(`no ${what} from the team leader yet; retry in a few seconds`);

function fromMirror<K extends MirroredKey>(team: TeamView, key: K, what: string): MirroredState[K] {
  const v = team.mirrored(key);
  if (!v) throw noLeaderYet(what);
  return v;
}

/** Live calls: the leader's list on a follower; drop and click-to-call stay the leader's (the team bus forwards them). */
export class TeamActiveCalls extends ActiveCallsService {
  constructor(deps: ActiveCallsDeps, private readonly team: TeamView) {
    super(deps);
  }

  override async list(): Promise<ActiveCallsResponse> {
    if (this.team.following()) return fromMirror(this.team, 'calls', 'live calls');
    try {
      return await super.list();
    } catch (e) {
      // Just taken over, own clients still connecting: the team's last list beats an error.
      const last = this.team.mirrored('calls');
      if (last) return last;
      throw e;
    }
  }
}

/** Queue, agent and PBX figures: the leader's on a follower. */
export class TeamSupervisor extends SupervisorService {
  constructor(deps: SupervisorDeps, private readonly team: TeamView) {
    super(deps);
  }

  private mirror() {
    return fromMirror(this.team, 'supervisor', 'queue figures');
  }

  override queues(): QueueFigures[] {
    return this.team.following() ? this.mirror().queues : super.queues();
  }

  override queue(id: number): QueueFigures | undefined {
    return this.queues().find((q) => q.id === id);
  }

  override agents(): AgentState[] {
    return this.team.following() ? this.mirror().agents : super.agents();
  }

  override pbx(): PbxOverview {
    return this.team.following() ? this.mirror().pbx : super.pbx();
  }
}

/**
 * Health: this relay's own version and uptime; the upstream part (components,
 * PBX, coverage) from the leader when following. Before the first mirrored
 * state a follower reports its own (all `unconfigured`), never an error: a
 * health check must always answer.
 */
export function teamHealthView(local: () => Health, team: TeamView, teamBlock: () => Health['team']): () => Health {
  return () => {
    const own = local();
    const mirrored = team.following() ? team.mirrored('health') : null;
    const upstream = mirrored ? { ...mirrored, status: relayStatus(Object.values(mirrored.components)) } : {};
    const block = teamBlock();
    return { ...own, ...upstream, ...(block ? { team: block } : {}) };
  };
}
