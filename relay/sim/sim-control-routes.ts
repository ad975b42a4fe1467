// Test control over HTTP, for tests that run the relay in another process.
// Not part of 3CX; no auth (loopback only, a simulator).
//
//   GET  /__sim/state   -> { activeCalls, callControl, stats, faults, callsPerMinute, queues }
//   POST /__sim/faults  { rejectTokens?, opaqueTokens?, tokenEndpointStatus?, status500?, latencyMs?,
//                         dropWebSockets?: true, dropWebSocketsEveryMs?, silentSockets?, sendMalformedFrame?: true|'not-json'|'wrong-shape',
//                         expireTokens?: true, trunksDown?, reset?: true }                    -> 200 { faults }
//   POST /__sim/calls   { action: 'place', from?, queue? }                      -> 201 { callId }
//                       { action: 'outgoing', fromDn, destination }             -> 201 { callId }
//                       { action: 'ring', callId, dn } | { action: 'answer', callId, dn? }
//                       { action: 'transfer', callId, dn } | { action: 'hangup', callId, by? }  -> 200 { callId }
//   POST /__sim/rate    { callsPerMinute }                                      -> 200 { callsPerMinute }
import express, { type Router } from 'express';
import { z } from 'zod';
import type { ActiveCall } from '../contract/api-types.js';
import { UnknownCallError, type CallModel } from './call-model.js';
import { applyPlanStep, type PlanStep } from './call-plan.js';
import { applyFaultRequest, faultRequestSchema, faultSnapshot, type SimulatorFaults } from './faults.js';

/** What the control routes drive: the Simulator (simulator.ts mounts these routes, so it is described here, not imported). */
export interface SimControlTarget {
  readonly faults: SimulatorFaults;
  readonly stats: object;
  readonly callsPerMinute: number;
  activeCalls(): ActiveCall[];
  callControlState(): unknown[];
  placeInboundCall(opts?: { from?: string; queue?: string }): number;
  placeOutgoingCall(fromDn: string, destination: string): number;
  setCallsPerMinute(n: number): void;
  queueFigures(): unknown[];
}

const callRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('place'), from: z.string().min(1).optional(), queue: z.string().min(1).optional() }),
  z.object({ action: z.literal('outgoing'), fromDn: z.string().min(1), destination: z.string().min(1) }),
  z.object({ action: z.literal('ring'), callId: z.number().int(), dn: z.string().min(1) }),
  z.object({ action: z.literal('answer'), callId: z.number().int(), dn: z.string().min(1).optional() }),
  z.object({ action: z.literal('transfer'), callId: z.number().int(), dn: z.string().min(1) }),
  z.object({ action: z.literal('hangup'), callId: z.number().int(), by: z.enum(['caller', 'callee']).optional() }),
]);

const rateSchema = z.object({ callsPerMinute: z.number().min(0).max(600_000) });

/** `model` is the simulator's own call model: call steps run as the generator runs them. */
export function simControlRouter(sim: SimControlTarget, model: CallModel): Router {
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/state', (_req, res) => {
    res.json({
      activeCalls: sim.activeCalls(),
      callControl: sim.callControlState(),
      stats: sim.stats,
      faults: faultSnapshot(sim.faults),
      callsPerMinute: sim.callsPerMinute,
      queues: sim.queueFigures(),
    });
  });

  router.post('/faults', (req, res) => {
    const parsed = faultRequestSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: z.prettifyError(parsed.error) });
    applyFaultRequest(sim.faults, parsed.data);
    res.json({ faults: faultSnapshot(sim.faults) });
  });

  router.post('/calls', (req, res) => {
    const parsed = callRequestSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: z.prettifyError(parsed.error) });
    const r = parsed.data;
    try {
      if (r.action === 'place') return void res.status(201).json({ callId: sim.placeInboundCall({ from: r.from, queue: r.queue }) });
      if (r.action === 'outgoing') return void res.status(201).json({ callId: sim.placeOutgoingCall(r.fromDn, r.destination) });
      const { action, callId, ...args } = r;
      if (!applyPlanStep(model, callId, { type: action, ...args } as PlanStep)) throw new UnknownCallError(callId);
      res.json({ callId });
    } catch (err) {
      res.status(err instanceof UnknownCallError ? 404 : 400).json({ error: (err as Error).message });
    }
  });

  router.post('/rate', (req, res) => {
    const parsed = rateSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: z.prettifyError(parsed.error) });
    sim.setCallsPerMinute(parsed.data.callsPerMinute);
    res.json({ callsPerMinute: sim.callsPerMinute });
  });

  return router;
}
