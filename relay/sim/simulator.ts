// The 3CX V20 simulator: a real HTTP + WebSocket server on 127.0.0.1 speaking
// the shapes of docs/3cx-v20.md (token endpoint, XAPI, Call Control REST and
// WebSocket), with a seeded call generator, CDR writing into a PostgreSQL
// `cdroutput`, deterministic scenario steps and fault switches for tests.
// Test control over HTTP (/__sim/*) is documented in sim-control-routes.ts.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ActiveCall } from '../contract/api-types.js';
import type { Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { callControlRouter, callControlView, DEFAULT_MONITORED_DNS, type MonitoredDns } from './callcontrol-routes.js';
import { CallControlSocketHub } from './callcontrol-socket.js';
import { AgentChurn } from './agent-churn.js';
import { CallGenerator } from './call-generator.js';
import { CallModel, type HangUpSide } from './call-model.js';
import { CdrWriter } from './cdr-writer.js';
import { createFaults, type SimulatorFaults } from './faults.js';
import { requireBearer, sendODataError } from './odata.js';
import { QUEUES, randomOutsideNumber } from './pbx-directory.js';
import { DEFAULT_PBX_VERSION, pbxProfile } from './pbx-profile.js';
import { QueueAgents, type QueueStatus } from './queue-agents.js';
import { QueueLedger, type SimQueueFigures } from './queue-ledger.js';
import { createRandom } from './random.js';
import { simControlRouter } from './sim-control-routes.js';
import { TokenIssuer, tokenRouter } from './token-endpoint.js';
import { xapiRouter } from './xapi-routes.js';

export type { SimulatorFaults } from './faults.js';
export type { Participant } from './call-model.js';
export type { SimQueueFigures } from './queue-ledger.js';
export type { QueueStatus } from './queue-agents.js';

export interface SimulatorOptions {
  /** 0 = a free port (default). Always bound to 127.0.0.1. */
  port?: number;
  /** Default 'relay'; also the DN of the integration's route point. */
  clientId?: string;
  /** Default: random. */
  clientSecret?: string;
  /** Token lifetime in whole seconds (default 3600); `expires_in` states it in the version's unit. */
  tokenLifetimeS?: number;
  /** The 3CX release to play (default 20.0.7.1080): decides the unit of `expires_in` and SystemStatus `Version`. */
  pbxVersion?: string;
  /**
   * DNs Call Control shows besides the route point, as an admin lists them
   * for the integration (default: 3 extensions); 'all' shows every queue
   * and extension. XAPI sees every call either way.
   */
  callControlMonitors?: MonitoredDns;
  /** Generator rate; 0 = off (default 0). */
  callsPerMinute?: number;
  /** Multiplies generated calls' wait/ring/talk times (default 1). */
  timeScale?: number;
  /** Agents logging in or out of the queues per minute (default 6 while the generator runs, else 0). */
  agentChurnPerMinute?: number;
  seed?: number;
  /** When set, finished calls are written to `cdroutput` of this database. */
  cdrDatabaseUrl?: string;
  logger?: Logger;
  /** Time source for tokens and call times (default: system clock). */
  clock?: Pick<Clock, 'now'>;
}

export interface SimulatorStats {
  tokenRequests: number;
  xapiRequests: number;
  /** Of those, `GET ActiveCalls` (the live list), so its cost can be told from other readers'. */
  xapiActiveCallsRequests: number;
  callControlRequests: number;
  /** Calls ended through XAPI DropCall or a Call Control drop, in order. */
  droppedCallIds: number[];
  /** Call Control sockets accepted since start. */
  wsConnections: number;
  /** Call Control sockets open now. */
  openWebSockets: number;
  cdrRowsWritten: number;
  cdrRowsFailed: number;
}

export interface Simulator {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly clientId: string;
  readonly clientSecret: string;
  /** SystemStatus `Version`, e.g. 20.0.7.1080. */
  readonly pbxVersion: string;
  /** The DNs Call Control shows besides the route point (what an admin put on the integration's list). */
  readonly monitoredDns: readonly string[];
  readonly faults: SimulatorFaults;
  readonly stats: Readonly<SimulatorStats>;
  readonly callsPerMinute: number;
  /** Exactly what GET /xapi/v1/ActiveCalls returns now. */
  activeCalls(): ActiveCall[];
  /** Exactly what GET /callcontrol returns now. */
  callControlState(): unknown[];
  /** An outside caller waits in a queue (default 800): XAPI Talking to the queue, queue participant Ringing. Returns the call Id. */
  placeInboundCall(opts?: { from?: string; queue?: string }): number;
  /** An extension dials a number or another extension: Dialing (outside) or Ringing (internal). */
  placeOutgoingCall(fromDn: string, destination: string): number;
  /** The queue rings an agent: XAPI Ringing, agent participant Ringing. */
  ring(callId: number, agentDn: string): void;
  /** -> Talking / Connected. Default agent: the ringing one, else the queue's first agent. */
  answer(callId: number, agentDn?: string): void;
  /** -> Transferring, participant Ringing on `toDn` until answer(). */
  transfer(callId: number, toDn: string): void;
  /** Call removed; its CDR rows are written when a database is set. */
  hangUp(callId: number, by?: HangUpSide): void;
  setCallsPerMinute(n: number): void;
  /** Per queue: who waits now, answered / abandoned today and within the SLA (the ground truth for supervisor figures). */
  queueFigures(): SimQueueFigures[];
  /** XAPI `Users` `QueueStatus` of an extension. */
  queueStatus(dn: string): QueueStatus;
  setQueueStatus(dn: string, status: QueueStatus): void;
  /** Waits for CDR writes queued so far. */
  flushCdr(): Promise<void>;
  /** Closes the server, sockets, timers and the CDR pool. Idempotent. */
  stop(): Promise<void>;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const logger = (opts.logger ?? silentLogger).child({ component: 'sim' });
  const now = opts.clock ? () => opts.clock!.now() : () => Date.now();
  const clientId = opts.clientId ?? 'relay';
  const clientSecret = opts.clientSecret ?? randomBytes(18).toString('base64url');
  const rng = createRandom(opts.seed ?? Date.now());

  const stats: SimulatorStats = {
    tokenRequests: 0, xapiRequests: 0, xapiActiveCallsRequests: 0, callControlRequests: 0, droppedCallIds: [],
    wsConnections: 0, openWebSockets: 0, cdrRowsWritten: 0, cdrRowsFailed: 0,
  };
  const profile = pbxProfile(opts.pbxVersion ?? DEFAULT_PBX_VERSION);
  const model = new CallModel({ now, routePointDn: clientId });
  const ledger = new QueueLedger(model, now);
  const agents = new QueueAgents();
  const churn = new AgentChurn({ agents, rng, perMinute: opts.agentChurnPerMinute ?? ((opts.callsPerMinute ?? 0) > 0 ? 6 : 0) });
  const view = callControlView(model, clientId, opts.callControlMonitors ?? DEFAULT_MONITORED_DNS);
  const issuer = new TokenIssuer({ clientId, clientSecret, lifetimeS: opts.tokenLifetimeS ?? 3600, profile, now });
  const cdr = opts.cdrDatabaseUrl ? new CdrWriter(opts.cdrDatabaseUrl, logger) : null;

  const hub = new CallControlSocketHub({
    isTokenValid: (t) => issuer.isValid(t),
    // `faults` is read only once requests arrive, after it exists.
    failing: () => faults.status500,
    silent: () => faults.silentSockets,
    logger,
    onConnection: () => void stats.wsConnections++,
  });
  const faults = createFaults({
    dropWebSockets: () => hub.dropAll(),
    sendMalformedFrame: (kind) => hub.sendMalformed(kind),
    expireTokens: () => issuer.expireAll(),
  });

  // Call Control notifies only about the DNs it monitors.
  model.on('participant', (type, dn, id) => {
    if (view.findDn(dn)) hub.notify(type, dn, id);
  });
  model.on('ended', (call, legs) => cdr?.write(legs, call));
  const onDrop = (id: number) => void stats.droppedCallIds.push(id);

  const generator = new CallGenerator({ model, rng, logger, callsPerMinute: opts.callsPerMinute ?? 0, timeScale: opts.timeScale, agents });

  const latencyTimers = new Set<NodeJS.Timeout>();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const sim: Simulator = {
    url: '',
    port: 0,
    clientId,
    clientSecret,
    pbxVersion: profile.version,
    monitoredDns: view.state().map((d) => d.dn).filter((dn) => dn !== clientId),
    faults,
    get stats() {
      stats.openWebSockets = hub.openSockets;
      stats.cdrRowsWritten = cdr?.written ?? 0;
      stats.cdrRowsFailed = cdr?.failed ?? 0;
      return stats;
    },
    get callsPerMinute() {
      return generator.callsPerMinute;
    },
    activeCalls: () => model.activeCalls(),
    callControlState: () => view.state(),
    placeInboundCall(o = {}) {
      const queueDn = o.queue ?? (QUEUES[0] as { dn: string }).dn;
      return model.placeInbound({ from: o.from ?? randomOutsideNumber(rng), queueDn }).id;
    },
    placeOutgoingCall: (fromDn, destination) => model.placeOutgoing({ fromDn, destination }).id,
    ring: (callId, agentDn) => model.ring(callId, agentDn),
    answer: (callId, agentDn) => model.answer(callId, agentDn),
    transfer: (callId, toDn) => model.transfer(callId, toDn),
    hangUp: (callId, by) => void model.hangUp(callId, by),
    setCallsPerMinute: (n) => generator.setCallsPerMinute(n),
    queueFigures: () => ledger.figures(),
    queueStatus: (dn) => agents.get(dn),
    setQueueStatus: (dn, status) => agents.set(dn, status),
    flushCdr: async () => cdr?.flush(),
    stop: async () => undefined,
  };

  app.use('/__sim', simControlRouter(sim, model));
  app.use((_req, _res, next) => {
    if (faults.latencyMs <= 0) return next();
    const t = setTimeout(() => {
      latencyTimers.delete(t);
      next();
    }, faults.latencyMs);
    latencyTimers.add(t);
  });
  app.use(tokenRouter(issuer, faults, () => void stats.tokenRequests++));
  const xapiForbidden: express.RequestHandler = (_req, res, next) =>
    faults.xapiForbidden ? sendODataError(res, 403, 'Forbidden', 'Access denied.') : next();
  app.use('/xapi/v1', requireBearer(issuer, faults), xapiForbidden, xapiRouter({ model, now, pbxVersion: profile.version, onRequest: (path) => {
    stats.xapiRequests++;
    if (path === '/ActiveCalls') stats.xapiActiveCallsRequests++;
  }, onDrop, agents, trunksDown: () => faults.trunksDown }));
  const failParticipantRead = () => faults.failParticipantReads > 0 && faults.failParticipantReads-- > 0;
  app.use('/callcontrol', requireBearer(issuer, faults), callControlRouter({ model, view, onRequest: () => void stats.callControlRequests++, onDrop, failParticipantRead }));
  app.use((req, res) => sendODataError(res, 404, 'NotFound', `No route for ${req.method} ${req.path}`));
  app.use((err: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) logger.error('sim: request failed', { error: err.message });
    sendODataError(res, status, status === 500 ? 'InternalServerError' : 'BadRequest', status === 500 ? 'internal error' : err.message);
  });

  const server = http.createServer(app);
  server.on('upgrade', (req, socket, head) => {
    if (!hub.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  Object.assign(sim, { url, port });
  generator.start();
  churn.start();
  logger.info('sim: listening', { url, clientId });

  let stopping: Promise<void> | null = null;
  sim.stop = () => {
    stopping ??= (async () => {
      generator.stop();
      churn.stop();
      faults.dispose();
      for (const t of latencyTimers) clearTimeout(t);
      latencyTimers.clear();
      await hub.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      model.removeAllListeners();
      await cdr?.stop();
    })();
    return stopping;
  };
  return sim;
}
