// Fault switches tests flip to make the simulator misbehave the way a real
// PBX or network does. Plain state plus hooks into the socket hub and the
// token issuer, so they can be driven in-process or over POST /__sim/faults.
import { z } from 'zod';

export interface SimulatorFaults {
  /** Token endpoint answers 401 unauthorized, even for good credentials. */
  rejectTokens: boolean;
  /** Tokens are opaque strings, not JWTs: a client can only go by `expires_in` (and the version's unit). */
  opaqueTokens: boolean;
  /** Token endpoint answers this HTTP status (e.g. 500) instead of a token. */
  tokenEndpointStatus: number | null;
  /** XAPI and Call Control REST (and WS upgrades) answer 500 with an OData error body. */
  status500: boolean;
  /** Every HTTP answer (token, XAPI, Call Control) is delayed by this. */
  latencyMs: number;
  /** Terminate all Call Control sockets now. */
  dropWebSockets(): void;
  /** Keep terminating all Call Control sockets at this interval (null = off). */
  dropWebSocketsEveryMs: number | null;
  /**
   * Call Control sockets go silent but stay open: no pong to a ping, no
   * notification frames, as when the PBX or a proxy stalls and no FIN ever
   * comes. Only a client's heartbeat notices.
   */
  silentSockets: boolean;
  /** Send one bad frame on each open socket now: not JSON (default) or JSON of the wrong shape. */
  sendMalformedFrame(kind?: MalformedKind): void;
  /** All issued tokens become invalid now: the next use answers 401. */
  expireTokens(): void;
  /** The next this many Call Control participant reads answer 500. */
  failParticipantReads: number;
  /** XAPI answers 403 (licence or role), while the token endpoint keeps working. */
  xapiForbidden: boolean;
  /** The SIP trunk is unregistered: SystemStatus `TrunksRegistered` < `TrunksTotal`. */
  trunksDown: boolean;
  /** All switches off. */
  reset(): void;
}

export type MalformedKind = 'not-json' | 'wrong-shape';

export interface FaultHooks {
  dropWebSockets(): void;
  sendMalformedFrame(kind: MalformedKind): void;
  expireTokens(): void;
}

/** Fault state with the drop timer; `dispose()` clears the timer. */
export function createFaults(hooks: FaultHooks): SimulatorFaults & { dispose(): void } {
  let dropTimer: NodeJS.Timeout | null = null;
  let dropEvery: number | null = null;
  const faults = {
    rejectTokens: false,
    opaqueTokens: false,
    tokenEndpointStatus: null as number | null,
    status500: false,
    latencyMs: 0,
    silentSockets: false,
    failParticipantReads: 0,
    xapiForbidden: false,
    trunksDown: false,
    dropWebSockets: () => hooks.dropWebSockets(),
    get dropWebSocketsEveryMs() {
      return dropEvery;
    },
    set dropWebSocketsEveryMs(ms: number | null) {
      if (dropTimer) clearInterval(dropTimer);
      dropTimer = null;
      dropEvery = ms && ms > 0 ? ms : null;
      if (dropEvery) {
        dropTimer = setInterval(() => hooks.dropWebSockets(), dropEvery);
        dropTimer.unref();
      }
    },
    sendMalformedFrame: (kind: MalformedKind = 'not-json') => hooks.sendMalformedFrame(kind),
    expireTokens: () => hooks.expireTokens(),
    reset() {
      faults.rejectTokens = false;
      faults.opaqueTokens = false;
      faults.tokenEndpointStatus = null;
      faults.status500 = false;
      faults.latencyMs = 0;
      faults.silentSockets = false;
      faults.failParticipantReads = 0;
      faults.xapiForbidden = false;
      faults.trunksDown = false;
      faults.dropWebSocketsEveryMs = null;
    },
    dispose() {
      faults.dropWebSocketsEveryMs = null;
    },
  };
  return faults;
}

/** Body of POST /__sim/faults: every field optional; actions are `true`. */
export const faultRequestSchema = z.strictObject({
  rejectTokens: z.boolean().optional(),
  opaqueTokens: z.boolean().optional(),
  tokenEndpointStatus: z.number().int().min(100).max(599).nullable().optional(),
  status500: z.boolean().optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  dropWebSockets: z.literal(true).optional(),
  dropWebSocketsEveryMs: z.number().int().min(10).nullable().optional(),
  silentSockets: z.boolean().optional(),
  sendMalformedFrame: z.union([z.literal(true), z.enum(['not-json', 'wrong-shape'])]).optional(),
  expireTokens: z.literal(true).optional(),
  failParticipantReads: z.number().int().min(0).max(1_000_000).optional(),
  xapiForbidden: z.boolean().optional(),
  trunksDown: z.boolean().optional(),
  reset: z.literal(true).optional(),
});

export type FaultRequest = z.infer<typeof faultRequestSchema>;

/** Applies a fault request; `reset` first, so `{reset:true, status500:true}` means "only 500s". */
export function applyFaultRequest(faults: SimulatorFaults, req: FaultRequest): void {
  if (req.reset) faults.reset();
  if (req.rejectTokens !== undefined) faults.rejectTokens = req.rejectTokens;
  if (req.opaqueTokens !== undefined) faults.opaqueTokens = req.opaqueTokens;
  if (req.tokenEndpointStatus !== undefined) faults.tokenEndpointStatus = req.tokenEndpointStatus;
  if (req.status500 !== undefined) faults.status500 = req.status500;
  if (req.latencyMs !== undefined) faults.latencyMs = req.latencyMs;
  if (req.silentSockets !== undefined) faults.silentSockets = req.silentSockets;
  if (req.failParticipantReads !== undefined) faults.failParticipantReads = req.failParticipantReads;
  if (req.xapiForbidden !== undefined) faults.xapiForbidden = req.xapiForbidden;
  if (req.trunksDown !== undefined) faults.trunksDown = req.trunksDown;
  if (req.dropWebSocketsEveryMs !== undefined) faults.dropWebSocketsEveryMs = req.dropWebSocketsEveryMs;
  if (req.dropWebSockets) faults.dropWebSockets();
  if (req.sendMalformedFrame) faults.sendMalformedFrame(req.sendMalformedFrame === true ? 'not-json' : req.sendMalformedFrame);
  if (req.expireTokens) faults.expireTokens();
}

/** Public snapshot of the switches (for GET /__sim/state). */
export function faultSnapshot(f: SimulatorFaults) {
  return {
    rejectTokens: f.rejectTokens,
    opaqueTokens: f.opaqueTokens,
    tokenEndpointStatus: f.tokenEndpointStatus,
    status500: f.status500,
    latencyMs: f.latencyMs,
    dropWebSocketsEveryMs: f.dropWebSocketsEveryMs,
    silentSockets: f.silentSockets,
    failParticipantReads: f.failParticipantReads,
    xapiForbidden: f.xapiForbidden,
    trunksDown: f.trunksDown,
  };
}
