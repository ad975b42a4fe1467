// XAPI (OData v4) routes: ActiveCalls and the DropCall action (what the
// relay uses), SystemStatus (version and licence probe), and the directory
// (Users, Queues, a queue's Agents). Collections take $select, $top and
// $skip. Every answer carries only fields of 3CX's swagger (test/fixtures/3cx/
// xapi-schemas.json; a test validates them closed).
import express, { type Request, type Response, type Router } from 'express';
import type { CallModel } from './call-model.js';
import { ODataQueryError, applyCollectionQuery, parseCollectionQuery, sendODataError, type CollectionQuery } from './odata.js';
import { EXTENSIONS, QUEUES, TRUNK } from './pbx-directory.js';
import type { QueueAgents } from './queue-agents.js';
import { QUEUE_AGENT_PROPERTIES, QUEUE_PROPERTIES, USER_PROPERTIES, userDn, xapiQueueAgents, xapiQueues, xapiUsers } from './xapi-directory.js';

export interface XapiDeps {
  model: CallModel;
  now: () => number;
  /** SystemStatus `Version`. */
  pbxVersion: string;
  /** Every XAPI request, with its path below /xapi/v1 (e.g. `/ActiveCalls`). */
  onRequest(path: string): void;
  onDrop(callId: number): void;
  /** Queue login status per extension (`Users` `QueueStatus`). */
  agents: QueueAgents;
  /** The trunk-down fault: SystemStatus reports no trunk registered. */
  trunksDown(): boolean;
  /** SystemStatus `Version`. */
  version?: string;
}

function metadataUrl(req: Request, fragment: string): string {
  return `${req.protocol}://${req.get('host') ?? '127.0.0.1'}/xapi/v1/$metadata#${fragment}`;
}

const ACTIVE_CALL_PROPERTIES = ['Id', 'Caller', 'Callee', 'Status', 'LastChangeStatus', 'EstablishedAt', 'ServerNow'] as const;

/** Answers the OData envelope of `entitySet`, or a 400 OData error for query options it cannot honour. */
function sendCollection<T extends object>(
  req: Request,
  res: Response,
  entitySet: string,
  spec: { properties: readonly string[]; navigation?: readonly string[] },
  items: (q: CollectionQuery) => readonly T[],
): void {
  let q: CollectionQuery;
  try {
    q = parseCollectionQuery(req.query as Record<string, unknown>, spec.properties, spec.navigation);
  } catch (e) {
    if (!(e instanceof ODataQueryError)) throw e;
    sendODataError(res, 400, 'BadRequest', e.message);
    return;
  }
  res.json({ '@odata.context': metadataUrl(req, entitySet), value: applyCollectionQuery(items(q), q) });
}

export function xapiRouter(deps: XapiDeps): Router {
  const router = express.Router();
  router.use((req, _res, next) => {
    deps.onRequest(req.path);
    next();
  });

  router.get('/ActiveCalls', (req, res) => {
    sendCollection(req, res, 'ActiveCalls', { properties: ACTIVE_CALL_PROPERTIES }, () => deps.model.activeCalls());
  });

  router.get('/Users', (req, res) => {
    sendCollection(req, res, 'Users', { properties: USER_PROPERTIES }, () => xapiUsers(deps.agents));
  });

  // An update of one user, OData's PATCH with the changed properties; 3CX
  // answers 204. Only `QueueStatus` is writable here: anything else is refused
  // rather than silently ignored, so a client sending more fails a test.
  router.patch(/^\/Users\((\d+)\)$/, express.json({ limit: '16kb' }), (req, res) => {
    const id = Number((req.params as Record<string, string>)[0]);
    const dn = userDn(id);
    if (!dn) return void sendODataError(res, 404, 'NotFound', `User ${id} not found.`);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const status = body.QueueStatus;
    if (Object.keys(body).length !== 1 || (status !== 'LoggedIn' && status !== 'LoggedOut')) {
      return void sendODataError(res, 400, 'BadRequest', 'only {"QueueStatus": "LoggedIn"|"LoggedOut"} is supported');
    }
    deps.agents.set(dn, status);
    res.status(204).end();
  });

  router.get('/Queues', (req, res) => {
    sendCollection(req, res, 'Queues', { properties: QUEUE_PROPERTIES, navigation: ['Agents'] }, (q) => xapiQueues({ expandAgents: q.expand.includes('Agents') }));
  });

  router.get(/^\/Queues\((\d+)\)\/Agents$/, (req, res) => {
    const id = Number((req.params as Record<string, string>)[0]);
    const agents = xapiQueueAgents(id);
    if (!agents) {
      sendODataError(res, 404, 'NotFound', `Queue ${id} not found.`);
      return;
    }
    sendCollection(req, res, `Queues(${id})/Agents`, { properties: QUEUE_AGENT_PROPERTIES }, () => agents);
  });

  router.post(/^\/ActiveCalls\((\d+)\)\/Pbx\.DropCall$/, (req, res) => {
    const id = Number((req.params as Record<string, string>)[0]);
    if (!deps.model.get(id)) {
      sendODataError(res, 404, 'NotFound', `Call ${id} not found.`);
      return;
    }
    deps.model.hangUp(id, 'callee');
    deps.onDrop(id);
    // The swagger answers 200 with a Pbx.IActionResult, a schema without
    // properties [unconfirmed: what 3CX puts in it]: an empty object.
    res.status(200).json({});
  });

  // Click-to-call without Call Control monitoring. The answer mirrors Call
  // Control's makecall (swagger names it CallControlResultResponse; its
  // fields are [unconfirmed]); an unknown DN is refused the 3CX way: 200
  // without `result`, with `reasontext`.
  router.post('/Users/Pbx.MakeCall', express.json({ limit: '16kb' }), (req, res) => {
    const body = (req.body ?? {}) as { dn?: unknown; destination?: unknown };
    if (typeof body.dn !== 'string' || typeof body.destination !== 'string' || !body.destination) {
      sendODataError(res, 400, 'BadRequest', 'dn and destination are required');
      return;
    }
    if (!deps.model.isKnownDn(body.dn) || deps.model.dnType(body.dn) !== 'Wextension') {
      res.json({ finalstatus: 'Failure', reason: 'NotFound', reasontext: `Extension ${body.dn} not found` });
      return;
    }
    const call = deps.model.placeOutgoing({ fromDn: body.dn, destination: body.destination });
    res.json({ finalstatus: 'Success', result: call.participants.find((p) => p.dn === body.dn) });
  });

  router.get('/SystemStatus', (req, res) => {
    const year = new Date(deps.now()).getUTCFullYear();
    res.json({
      '@odata.context': metadataUrl(req, 'SystemStatus/$entity'),
      Id: 1,
      FQDN: req.get('host') ?? '127.0.0.1',
      Version: deps.pbxVersion,
      Activated: true,
      LicenseActive: true,
      // An Enterprise licence, which XAPI needs [unconfirmed: 3CX's exact product codes].
      ProductCode: '3CXPSPROFENTSPLA',
      ExpirationDate: `${year + 1}-01-01T00:00:00Z`,
      MaintenanceExpiresAt: `${year + 1}-01-01T00:00:00Z`,
      MaxSimCalls: 32,
      CallsActive: deps.model.size(),
      ExtensionsTotal: EXTENSIONS.length + QUEUES.length,
      ExtensionsRegistered: EXTENSIONS.length,
      UserExtensions: EXTENSIONS.length,
      MaxUserExtensions: 100,
      TrunksTotal: [TRUNK].length,
      TrunksRegistered: deps.trunksDown() ? 0 : 1,
      HasUnregisteredSystemExtensions: false,
      HasNotRunningServices: false,
    });
  });

  router.use((req, res) => sendODataError(res, 404, 'NotFound', `No route for ${req.method} /xapi/v1${req.path}`));
  return router;
}
