// Two (or more) relays' worth of the parts the team bus joins, on one
// PostgreSQL store: each member has its own store connection pool, auth
// services, alert engine and service, event hub, WebSocket endpoint on a
// real http.Server, and its own TeamBus, wired exactly as a
// running relay wires them (startTeamBus).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthServices, type AuthServices } from '../../../relay/auth/auth-services.js';
import type { AlertSnapshot } from '../../../relay/alerts/alert-snapshot.js';
import { createRelayAlerts, type RelayAlerts } from '../../../relay/alerts/relay-alerts.js';
import type { ComponentHealth, ComponentName } from '../../../relay/contract/api-types.js';
import { systemClock } from '../../../relay/core/clock.js';
import { createLogger, memorySink, type LogFields } from '../../../relay/core/logger.js';
import { EventHub } from '../../../relay/events/event-hub.js';
import { attachRelayWebSocket, type RelayWebSocketServer } from '../../../relay/http/ws/relay-websocket.js';
import { TicketStore } from '../../../relay/http/ws/ticket-store.js';
import { openStore, type Store } from '../../../relay/store/store.js';
import { startTeamBus } from '../../../relay/team/start-team-bus.js';
import type { TeamBus } from '../../../relay/team/team-bus.js';

export interface TeamMember {
  hub: EventHub;
  id: string;
  store: Store;
  auth: AuthServices;
  alerts: RelayAlerts;
  bus: TeamBus;
  tickets: TicketStore;
  ws: RelayWebSocketServer;
  /** ws://… of this member's /relay/ws. */
  wsUrl: string;
  /** What this member's alert engine sees; tests set it. */
  snapshot: AlertSnapshot;
  logs: LogFields[];
  close(): Promise<void>;
}

export interface MemberOptions {
  channel: string;
  probeIntervalMs?: number;
}

const since = new Date().toISOString();
const components: Record<ComponentName, ComponentHealth> = {
  xapi: { state: 'connected', latencyMs: 1, lastError: null, since },
  callcontrol: { state: 'connected', latencyMs: 1, lastError: null, since },
  database: { state: 'unconfigured', latencyMs: null, lastError: null, since },
};

export async function startMember(id: string, storeUrl: string, opts: MemberOptions): Promise<TeamMember> {
  const sink = memorySink();
  const logger = createLogger(sink, { level: 'debug', bindings: { member: id } });
  const store = await openStore({ url: storeUrl }, logger, { poolMax: 3 });
  const auth = createAuthServices(store, { clock: systemClock, logger, bcryptCost: 4 });
  const hub = new EventHub({});
  const view = { snapshot: { queues: [], pbx: null, components } as AlertSnapshot };
  const alerts = createRelayAlerts({
    store, hub, clock: systemClock, logger, onAlert: () => undefined,
    snapshot: () => view.snapshot,
  });
  const team = startTeamBus({
    storeUrl, db: store.db, memberId: id, logger,
    parties: { apiKeys: auth.apiKeys, sessions: auth.sessions, alerts: alerts.service },
    tuning: { channel: opts.channel, backoff: { baseMs: 20, capMs: 200 }, ...(opts.probeIntervalMs ? { probeIntervalMs: opts.probeIntervalMs } : {}) },
  });
  await team.ready;
  const bus = team.bus;
  const tickets = new TicketStore();
  const server = http.createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const ws = attachRelayWebSocket(server, { hub, keys: auth.apiKeys, sessions: auth.sessions, tickets, components: () => components });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    id, store, auth, alerts, bus, tickets, ws, hub,
    get snapshot() { return view.snapshot; },
    set snapshot(s: AlertSnapshot) { view.snapshot = s; },
    wsUrl: `ws://127.0.0.1:${port}/relay/ws`,
    logs: sink.records,
    async close() {
      await team.stop();
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await alerts.stop();
      await auth.hasher.stop();
      hub.close();
      await store.close();
    },
  };
}
