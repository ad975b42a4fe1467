// Call Control REST: full state, participants per DN, participant actions and
// makecall. Participants carry `callid` == the XAPI ActiveCall Id. Like 3CX,
// Call Control shows only the integration's route point and the DNs an admin
// put on its monitored list (docs/3cx-v20.md); every other DN is a 404 here,
// while XAPI still sees every call.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { CallModel, Participant } from './call-model.js';
import { sendODataError } from './odata.js';
import { EXTENSIONS, QUEUES } from './pbx-directory.js';

export interface CallControlDeps {
  model: CallModel;
  view: CallControlView;
  onRequest(): void;
  onDrop(callId: number): void;
  /** Fault switch: true when this participant read must answer 500 (consumes one pending failure). */
  failParticipantRead?(): boolean;
}

interface DnInfo { dn: string; type: string; devices: Array<{ dn: string; device_id: string; user_agent: string }> }

const makeCallBody = z.object({
  destination: z.string().min(1).max(64),
  reason: z.string().max(200).optional(),
  timeout: z.number().int().min(0).max(600).optional(),
});

const destinationBody = z.object({ destination: z.string().min(1).max(64) });

export interface CallControlView {
  findDn(dn: string): DnInfo | undefined;
  entry(d: DnInfo): { dn: string; type: string; devices: DnInfo['devices']; participants: Participant[] };
  /** Exactly what GET /callcontrol answers. */
  state(): Array<ReturnType<CallControlView['entry']>>;
}

/** Which DNs Call Control shows besides the route point: a list, or 'all' queues and extensions. */
export type MonitoredDns = readonly string[] | 'all';

/** A few extensions, not all: what an admin typically adds to the integration's list. */
export const DEFAULT_MONITORED_DNS: readonly string[] = ['100', '101', '102'];

/** The DNs this integration may monitor (its route point plus `monitored`) and their participants. */
export function callControlView(model: CallModel, routePointDn: string, monitored: MonitoredDns = DEFAULT_MONITORED_DNS): CallControlView {
  const listed = monitored === 'all' ? null : new Set(monitored);
  for (const dn of listed ?? []) if (!model.isKnownDn(dn)) throw new Error(`cannot monitor unknown DN ${dn}`);
  const shown = (dn: string) => listed === null || listed.has(dn);
  const dns: DnInfo[] = [
    { dn: routePointDn, type: model.dnType(routePointDn), devices: [] },
    ...QUEUES.filter((q) => shown(q.dn)).map((q) => ({ dn: q.dn, type: model.dnType(q.dn), devices: [] })),
    ...EXTENSIONS.filter((e) => shown(e.dn)).map((e) => ({ dn: e.dn, type: model.dnType(e.dn), devices: [{ dn: e.dn, device_id: e.deviceId, user_agent: e.userAgent }] })),
  ];
  const findDn = (dn: string) => dns.find((d) => d.dn === dn);
  const entry = (d: DnInfo) => ({ dn: d.dn, type: d.type, devices: d.devices, participants: model.participantsOf(d.dn) });
  return { findDn, entry, state: () => dns.map(entry) };
}

export function callControlRouter(deps: CallControlDeps): Router {
  const { model } = deps;
  const { view } = deps;
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));
  router.use((_req, _res, next) => {
    deps.onRequest();
    next();
  });

  const { findDn, entry } = view;

  router.get('/', (_req, res) => {
    res.json(view.state());
  });

  router.get('/:dn', (req, res) => {
    const d = findDn(req.params.dn);
    if (!d) return sendODataError(res, 404, 'NotFound', `DN ${req.params.dn} is not monitored`);
    res.json(entry(d));
  });

  router.get('/:dn/participants', (req, res) => {
    if (!findDn(req.params.dn)) return sendODataError(res, 404, 'NotFound', `DN ${req.params.dn} is not monitored`);
    res.json(model.participantsOf(req.params.dn));
  });

  router.get('/:dn/participants/:id', (req, res) => {
    if (deps.failParticipantRead?.()) return sendODataError(res, 500, 'InternalServerError', 'internal error');
    const found = findDn(req.params.dn) ? model.findParticipant(req.params.dn, Number(req.params.id)) : undefined;
    if (!found) return sendODataError(res, 404, 'NotFound', `participant ${req.params.id} not found on ${req.params.dn}`);
    res.json(found.participant);
  });

  router.post('/:dn/participants/:id/:action', (req, res) => {
    const found = findDn(req.params.dn) ? model.findParticipant(req.params.dn, Number(req.params.id)) : undefined;
    if (!found) return sendODataError(res, 404, 'NotFound', `participant ${req.params.id} not found on ${req.params.dn}`);
    const { call, participant } = found;
    const snapshot: Participant = { ...participant };
    switch (req.params.action) {
      case 'drop':
        // Dropping a participant of a two-party call ends the call.
        model.hangUp(call.id, participant.dn === call.caller ? 'caller' : 'callee');
        deps.onDrop(call.id);
        break;
      case 'answer':
        if (participant.status !== 'Ringing') return sendODataError(res, 400, 'BadRequest', 'participant is not ringing');
        model.answer(call.id, participant.dn);
        break;
      case 'divert':
      case 'routeto':
      case 'transferto': {
        const body = destinationBody.safeParse(req.body);
        if (!body.success) return sendODataError(res, 400, 'BadRequest', 'destination is required');
        if (!model.isKnownDn(body.data.destination)) return sendODataError(res, 400, 'BadRequest', `unknown destination ${body.data.destination}`);
        model.transfer(call.id, body.data.destination);
        break;
      }
      default:
        return sendODataError(res, 400, 'BadRequest', `action ${req.params.action} is not supported by the simulator`);
    }
    const current = model.findParticipant(participant.dn, participant.id)?.participant ?? snapshot;
    res.json({ finalstatus: 'Success', result: current });
  });

  const makeCall = (fromDn: string, rawBody: unknown, res: express.Response) => {
    const body = makeCallBody.safeParse(rawBody);
    if (!body.success) return sendODataError(res, 400, 'BadRequest', 'destination is required');
    const call = model.placeOutgoing({ fromDn, destination: body.data.destination });
    const own = call.participants.find((p) => p.dn === fromDn);
    res.json({ finalstatus: 'Success', result: own });
  };

  router.post('/:dn/makecall', (req, res) => {
    if (!findDn(req.params.dn)) return sendODataError(res, 404, 'NotFound', `DN ${req.params.dn} is not monitored`);
    makeCall(req.params.dn, req.body, res);
  });

  router.get('/:dn/devices', (req, res) => {
    const d = findDn(req.params.dn);
    if (!d) return sendODataError(res, 404, 'NotFound', `DN ${req.params.dn} is not monitored`);
    res.json(d.devices);
  });

  router.post('/:dn/devices/:deviceId/makecall', (req, res) => {
    const d = findDn(req.params.dn);
    if (!d?.devices.some((x) => x.device_id === req.params.deviceId)) {
      return sendODataError(res, 404, 'NotFound', `device ${req.params.deviceId} not found on ${req.params.dn}`);
    }
    makeCall(req.params.dn, req.body, res);
  });

  router.use((req, res) => sendODataError(res, 404, 'NotFound', `No route for ${req.method} /callcontrol${req.path}`));
  return router;
}
