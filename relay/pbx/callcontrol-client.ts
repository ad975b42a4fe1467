// 3CX Call Control: a WebSocket of notifications plus REST to read and act.
// Lifecycle of one connection: get a token from the shared broker → open
// /callcontrol/ws with `Authorization: Bearer` → GET /callcontrol and rebuild
// the picture from scratch (3CX does not replay what was missed) → apply
// frames in arrival order. Each frame is passed on (`event`) the moment it is
// parsed; the REST read of an upserted participant starts at once, several
// side by side, but results change the picture strictly in frame order
// (OrderedFetchQueue), so a backlog never builds up behind round trips and
// an old answer never overwrites a newer frame. The derived call list is
// emitted at most once per `callsCoalesceMs` (TrailingThrottle). Any loss of the socket schedules another attempt
// with exponential backoff and full jitter, forever, until stop(). A failed
// participant read is retried with backoff (3CX sends no second frame for a
// call that merely goes on), and after repeated failures the whole picture
// is read again from GET /callcontrol.
import type { AxiosResponse } from 'axios';
import WebSocket from 'ws';
import type { ActiveCall } from '../contract/api-types.js';
import { RelayError, describeError, isRelayError } from '../core/relay-error.js';
import { ComponentStatus, type ComponentDeps } from './component-status.js';
import { EVENT_TYPE, MAX_FRAME_BYTES, parseFrame } from './callcontrol-frame.js';
import { CallControlState, fullStateSchema, participantSchema, type MonitoredDn, type Participant } from './callcontrol-state.js';
import { makeCallOutcome } from './make-call-result.js';
import { OrderedFetchQueue } from './ordered-fetch-queue.js';
import type { BackoffPolicy } from './reconnect-backoff.js';
import { DEFAULT_BACKOFF, backoffDelayMs } from './reconnect-backoff.js';
import type { TokenBroker } from './token-broker.js';
import { isCredentialsRejected } from './token-broker.js';
import { TrailingThrottle } from './trailing-throttle.js';
import type { CallControlEvents, CallControlPort } from './upstream.js';
import { UpstreamHttp, isSuccess, upstreamStatusError } from './upstream-http.js';

export interface CallControlClientOptions extends ComponentDeps {
  /** The shared token broker; null when the PBX is not configured (state `unconfigured`). */
  broker: TokenBroker | null;
  /** Source of jitter in [0, 1); tests pass a fixed one. */
  random?: () => number;
  /** Per REST request and for the WebSocket opening handshake (default 10 s). */
  timeoutMs?: number;
  backoff?: BackoffPolicy;
  /** Heartbeat: ping this often; no pong by the next ping ends the socket (default 30 s). */
  pingIntervalMs?: number;
  /** `calls` is emitted at most once per this many ms, always with the final state (default 25; 0 = every change). */
  callsCoalesceMs?: number;
  /** Participant reads in flight at once after frames (default 16). */
  fetchConcurrency?: number;
  /** Delays between retries of a failed participant read (default 250 ms growing to 2 s, full jitter). */
  readRetryBackoff?: BackoffPolicy;
  /** Failed retries of one participant read before the client resynchronises from GET /callcontrol (default 3). */
  readRetries?: number;
}

export const DEFAULT_READ_RETRY_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 2_000 };

/** What the read of one participant after an upsert frame found. */
type ParticipantRead =
  | { kind: 'upsert'; participant: Participant }
  | { kind: 'gone' }
  | { kind: 'fault'; message: string };

/** What `GET /callcontrol` answered. */
type FullStateRead = { ok: true; entries: Parameters<CallControlState['replaceAll']>[0] } | { ok: false; error: unknown };

const CC = '/callcontrol';

/** Path of one participant, built from parsed parts (never from the frame's raw text). */
function participantPath(dn: string, id: number): string {
  return `${CC}/${encodeURIComponent(dn)}/participants/${id}`;
}

/** `http(s)://host[/prefix]` → `ws(s)://host[/prefix]/callcontrol/ws`. */
export function callControlSocketUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/i, 'ws')}${CC}/ws`;
}

export class CallControlClient extends ComponentStatus<CallControlEvents> implements CallControlPort {
  readonly #broker: TokenBroker | null;
  readonly #http: UpstreamHttp | null;
  readonly #random: () => number;
  readonly #timeoutMs: number;
  readonly #backoff: BackoffPolicy;
  readonly #pingIntervalMs: number;
  readonly #picture = new CallControlState();

  #running = false;
  // Bumped by stop()/reconnect(): callbacks of an older generation do nothing.
  #generation = 0;
  #ws: WebSocket | null = null;
  #failures = 0;
  #reconnectTimer: { cancel(): void } | null = null;
  #pingTimer: { cancel(): void } | null = null;
  #awaitingPong = false;
  #pingSentAt = 0;
  #pongWaiters: Array<() => void> = [];
  // A token the WebSocket upgrade refused with 401: the next attempt refreshes it.
  #refusedToken: string | null = null;
  // Resync and participant reads: run side by side, applied in arrival order.
  readonly #reads: OrderedFetchQueue;
  readonly #calls: TrailingThrottle;
  readonly #readRetryBackoff: BackoffPolicy;
  readonly #readRetries: number;
  // Participant key -> its pending retry: the number of failed reads so far and the timer.
  readonly #retries = new Map<string, { failures: number; timer: { cancel(): void } | null }>();

  constructor(opts: CallControlClientOptions) {
    super('callcontrol', opts, opts.broker !== null);
    this.#broker = opts.broker;
    this.#random = opts.random ?? Math.random;
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
    this.#backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.#pingIntervalMs = opts.pingIntervalMs ?? 30_000;
    this.#http = opts.broker ? new UpstreamHttp({ baseUrl: opts.broker.baseUrl, timeoutMs: this.#timeoutMs }) : null;
    this.#reads = new OrderedFetchQueue({
      concurrency: opts.fetchConcurrency ?? 16,
      onApplyError: (e) => this.reportFault('error', `Call Control handler failed: ${describeError(e)}`),
    });
    this.#calls = new TrailingThrottle(this.clock, opts.callsCoalesceMs ?? 25, () => this.emit('calls', this.activeCalls()));
    this.#readRetryBackoff = opts.readRetryBackoff ?? DEFAULT_READ_RETRY_BACKOFF;
    this.#readRetries = Math.max(0, opts.readRetries ?? 3);
  }

  /** Number of the next reconnect attempt (0 after a successful resync). */
  get consecutiveFailures(): number {
    return this.#failures;
  }

  async start(): Promise<void> {
    if (!this.#broker || this.#running) return;
    this.#running = true;
    await this.#attempt(this.#generation);
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#generation += 1;
    this.#teardown();
    this.#http?.close();
    await this.#reads.idle();
    if (this.#broker) this.setState('disconnected', null);
  }

  async reconnect(): Promise<void> {
    if (!this.#broker) return;
    this.#broker.clearRejection();
    this.#running = true;
    this.#generation += 1;
    this.#teardown();
    this.#failures = 0;
    await this.#attempt(this.#generation);
  }

  /** Round trip of a WebSocket ping while connected; a socket that does not answer is replaced. */
  async check(): Promise<void> {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || this.state !== 'connected') return;
    const answered = await new Promise<boolean>((resolve) => {
      const timer = this.clock.setTimeout(() => resolve(false), this.#timeoutMs);
      this.#pongWaiters.push(() => {
        timer.cancel();
        resolve(true);
      });
      this.#sendPing(ws);
    });
    if (!answered && ws === this.#ws) {
      this.log.warn('Call Control WebSocket did not answer a ping; reconnecting');
      ws.terminate();
    }
  }

  activeCalls(): ActiveCall[] {
    return this.#picture.activeCalls(this.clock.now());
  }

  /** The DNs Call Control lets this integration see (last full state); null until the first resync. */
  monitoredDns(): readonly MonitoredDn[] | null {
    return this.#picture.monitoredDns();
  }

  async dropCall(id: number): Promise<void> {
    const participants = this.#picture.participantsOf(id);
    if (participants.length === 0) throw RelayError.notFound(`3CX has no active call ${id}`);
    // Dropping one leg normally ends the call; the others may already be gone (404).
    let dropped = false;
    for (const p of participants) {
      const path = `${participantPath(p.dn, p.id)}/drop`;
      const res = await this.#rest('POST', path, {});
      if (res.status === 404) continue;
      if (!isSuccess(res)) throw upstreamStatusError(res, `POST ${path}`);
      dropped = true;
      break;
    }
    if (!dropped) throw RelayError.notFound(`3CX has no active call ${id}`);
  }

  /**
   * Place a call from `fromDn`. With a registered device the devices/{id}
   * form is used, so the user's own phone rings first (as 3CX's dialer
   * sample does); without one, the plain form.
   */
  async makeCall(fromDn: string, destination: string): Promise<{ callId?: string }> {
    const device = this.#picture.monitoredDns()?.find((d) => d.dn === fromDn)?.deviceIds[0];
    const dn = encodeURIComponent(fromDn);
    const path = device ? `${CC}/${dn}/devices/${encodeURIComponent(device)}/makecall` : `${CC}/${dn}/makecall`;
    const res = await this.#rest('POST', path, { destination });
    if (res.status === 404) throw RelayError.notFound(`3CX Call Control does not know extension ${fromDn}`);
    if (!isSuccess(res)) throw upstreamStatusError(res, `POST ${path}`);
    return makeCallOutcome(res.data, `3CX did not place the call from ${fromDn}`);
  }

  // ---- connection lifecycle ----

  async #attempt(generation: number): Promise<void> {
    const broker = this.#broker;
    if (!broker || !this.#running || generation !== this.#generation) return;
    this.setState('connecting');
    let token: string;
    try {
      const refused = this.#refusedToken;
      this.#refusedToken = null;
      token = refused ? await broker.refresh(refused) : await broker.getToken();
    } catch (e) {
      this.#attemptFailed(generation, e);
      return;
    }
    if (!this.#running || generation !== this.#generation) return;
    await this.#open(token, generation);
  }

  /** Resolves when this attempt has settled: resynced, or failed with a retry scheduled. */
  #open(token: string, generation: number): Promise<void> {
    return new Promise<void>((settled) => {
      const ws = new WebSocket(callControlSocketUrl(this.#broker!.baseUrl), {
        headers: { Authorization: `Bearer ${token}` },
        handshakeTimeout: this.#timeoutMs,
        maxPayload: MAX_FRAME_BYTES,
        perMessageDeflate: false,
      });
      this.#ws = ws;
      let opened = false;
      let lastError: Error | null = null;

      ws.on('open', () => {
        opened = true;
        this.#awaitingPong = false;
        this.#armPing(ws, generation);
        // Whatever a previous socket still had in flight describes a picture the resync replaces.
        this.#reads.clear();
        const started = this.clock.now();
        this.#reads.push(
          () => this.#readFullState(),
          (read) => {
            this.#applyFullState(ws, generation, read, started);
            settled();
          },
        );
      });
      ws.on('message', (data) => this.#onMessage(ws, generation, data));
      ws.on('pong', () => this.#onPong());
      ws.on('error', (e) => {
        lastError = e;
      });
      ws.on('close', (code, reason) => {
        if (this.#ws === ws) {
          this.#ws = null;
          this.#reads.clear();
          this.#cancelRetries();
        }
        this.#disarmPing();
        if (!opened) {
          const status = /Unexpected server response: (\d+)/.exec(lastError?.message ?? '')?.[1];
          if (status === '401') this.#refusedToken = token;
          const why = status
            ? `3CX refused the Call Control WebSocket (HTTP ${status})`
            : `cannot open the Call Control WebSocket: ${lastError?.message ?? `closed (${code})`}`;
          this.#attemptFailed(generation, RelayError.upstream(why, { status: status ? Number(status) : undefined }));
        } else {
          this.#socketLost(generation, code, reason.toString('utf8'));
        }
        settled();
      });
    });
  }

  /** Never rejects: a failure is part of the answer, applied (reported) in order. */
  async #readFullState(): Promise<FullStateRead> {
    try {
      const res = await this.#rest('GET', CC);
      if (!isSuccess(res)) throw upstreamStatusError(res, `GET ${CC}`);
      const parsed = fullStateSchema.safeParse(res.data);
      if (!parsed.success) throw RelayError.upstream('3CX answered GET /callcontrol with something other than a list of DN states');
      return { ok: true, entries: parsed.data };
    } catch (error) {
      return { ok: false, error };
    }
  }

  #applyFullState(ws: WebSocket, generation: number, read: FullStateRead, started: number): void {
    if (!this.#current(ws, generation)) return;
    if (!read.ok) {
      const e = read.error;
      this.reportFault('error', `Call Control resync failed: ${describeError(e)}`, isRelayError(e) ? e.details : undefined);
      // Frames behind the failed resync would patch a picture that was never rebuilt.
      this.#reads.clear();
      // Closing leads to #socketLost, which schedules the next attempt.
      ws.terminate();
      return;
    }
    // The full state answers every read still waiting for a retry.
    this.#cancelRetries();
    const { skipped } = this.#picture.replaceAll(read.entries, this.clock.now());
    if (skipped > 0) this.reportFault('warning', `Call Control full state had ${skipped} unreadable participant(s); they were skipped`);
    this.recordLatency(this.clock.now() - started);
    this.#failures = 0;
    this.setState('connected');
    this.log.info('Call Control connected and resynchronised', { participants: this.#picture.size });
    // The full picture goes out at once, not at the end of a coalescing interval.
    this.#calls.now();
  }

  #onMessage(ws: WebSocket, generation: number, data: WebSocket.RawData): void {
    if (!this.#current(ws, generation)) return;
    const parsed = parseFrame(data);
    if (!parsed.ok) {
      this.log.warn('malformed Call Control frame', { error: parsed.error });
      this.reportFault('warning', `malformed Call Control frame ignored: ${parsed.error}`);
      return;
    }
    const frame = parsed.frame;
    this.emit('event', frame.data);
    const target = frame.target;
    if (target.kind !== 'participant') return;
    const applies = (): boolean => this.#current(ws, generation);
    if (frame.eventType === EVENT_TYPE.remove) {
      this.#reads.push(null, () => {
        if (!applies()) return;
        // Gone: a read still waiting for a retry has nothing left to learn.
        this.#cancelRetry(CallControlState.key(target.dn, target.id));
        if (this.#picture.remove(target.dn, target.id)) this.#calls.request();
      });
    } else if (frame.eventType === EVENT_TYPE.upsert) {
      this.#reads.push(
        () => this.#readParticipant(target.dn, target.id),
        (read) => {
          if (applies()) this.#applyParticipant(ws, generation, target.dn, target.id, read);
        },
      );
    }
  }

  /** Never rejects: a failure is part of the answer, applied (reported) in order. */
  async #readParticipant(dn: string, id: number): Promise<ParticipantRead> {
    const path = participantPath(dn, id);
    try {
      const res = await this.#rest('GET', path);
      // Gone between the notification and our read: same as a removal.
      if (res.status === 404) return { kind: 'gone' };
      if (!isSuccess(res)) throw upstreamStatusError(res, `GET ${path}`);
      const participant = participantSchema.safeParse(res.data);
      if (!participant.success) return { kind: 'fault', message: `3CX answered GET ${path} with an unreadable participant` };
      return { kind: 'upsert', participant: participant.data };
    } catch (e) {
      return { kind: 'fault', message: `could not read ${path} after a Call Control event: ${describeError(e)}` };
    }
  }

  #applyParticipant(ws: WebSocket, generation: number, dn: string, id: number, read: ParticipantRead): void {
    const key = CallControlState.key(dn, id);
    if (read.kind === 'fault') {
      this.#readFailed(ws, generation, dn, id, read.message);
      return;
    }
    // A good read supersedes any retry still pending for this participant.
    this.#cancelRetry(key);
    const changed = read.kind === 'gone' ? this.#picture.remove(dn, id) : this.#picture.upsert(dn, read.participant, this.clock.now());
    if (changed) this.#calls.request();
  }

  /**
   * A participant read failed: 3CX will not send another frame for a call
   * that just goes on, so without a retry the call would stay missing. Read
   * again after a backoff; after `readRetries` failed retries, rebuild the
   * whole picture from GET /callcontrol instead.
   */
  #readFailed(ws: WebSocket, generation: number, dn: string, id: number, message: string): void {
    const key = CallControlState.key(dn, id);
    const pending = this.#retries.get(key);
    pending?.timer?.cancel();
    const failures = (pending?.failures ?? 0) + 1;
    if (failures > this.#readRetries) {
      this.#resyncAfterFailedReads(ws, generation, message);
      return;
    }
    // Recovery, not a fault: the error feed hears of the cause (a token or network failure is
    // reported by the broker and the socket) and of a resync that fails; a read that heals is only logged.
    if (failures === 1) this.log.warn(`${message}; retrying`);
    const delay = backoffDelayMs(failures - 1, this.#random, this.#readRetryBackoff);
    const entry: { failures: number; timer: { cancel(): void } | null } = { failures, timer: null };
    entry.timer = this.clock.setTimeout(() => {
      entry.timer = null;
      if (!this.#current(ws, generation) || this.#retries.get(key) !== entry) return;
      this.#reads.push(
        () => this.#readParticipant(dn, id),
        (read) => {
          if (this.#current(ws, generation)) this.#applyParticipant(ws, generation, dn, id, read);
        },
      );
    }, delay);
    this.#retries.set(key, entry);
  }

  #resyncAfterFailedReads(ws: WebSocket, generation: number, message: string): void {
    this.#cancelRetries();
    this.log.warn(`${message}; reading the full Call Control state again`);
    const started = this.clock.now();
    this.#reads.push(
      () => this.#readFullState(),
      (read) => this.#applyFullState(ws, generation, read, started),
    );
  }

  #cancelRetry(key: string): void {
    this.#retries.get(key)?.timer?.cancel();
    this.#retries.delete(key);
  }

  #cancelRetries(): void {
    for (const r of this.#retries.values()) r.timer?.cancel();
    this.#retries.clear();
  }

  #attemptFailed(generation: number, e: unknown): void {
    if (!this.#running || generation !== this.#generation) return;
    const message = describeError(e);
    this.log.warn('Call Control connection attempt failed', { error: message, failures: this.#failures + 1 });
    if (isCredentialsRejected(e)) this.fail(message, { state: 'error', severity: 'critical' });
    else this.fail(message, { state: 'disconnected', severity: 'error' });
    this.#scheduleReconnect(generation);
  }

  #socketLost(generation: number, code: number, reason: string): void {
    if (!this.#running || generation !== this.#generation) return;
    const message = `Call Control WebSocket closed (code ${code}${reason ? `, ${reason}` : ''}); reconnecting`;
    this.log.warn(message);
    this.fail(message, { state: 'disconnected', severity: 'warning' });
    this.#scheduleReconnect(generation);
  }

  #scheduleReconnect(generation: number): void {
    this.#reconnectTimer?.cancel();
    const delay = backoffDelayMs(this.#failures, this.#random, this.#backoff);
    this.#failures += 1;
    this.#reconnectTimer = this.clock.setTimeout(() => {
      this.#reconnectTimer = null;
      void this.#attempt(generation);
    }, delay);
  }

  #teardown(): void {
    this.#reads.clear();
    this.#cancelRetries();
    this.#calls.cancel();
    this.#reconnectTimer?.cancel();
    this.#reconnectTimer = null;
    this.#disarmPing();
    const ws = this.#ws;
    this.#ws = null;
    if (ws) ws.terminate();
    for (const wake of this.#pongWaiters.splice(0)) wake();
  }

  #current(ws: WebSocket, generation: number): boolean {
    return this.#running && generation === this.#generation && this.#ws === ws;
  }

  // ---- heartbeat ----

  #armPing(ws: WebSocket, generation: number): void {
    this.#disarmPing();
    this.#pingTimer = this.clock.setTimeout(() => {
      this.#pingTimer = null;
      if (!this.#current(ws, generation)) return;
      // A ping check() sent a moment ago is not a missed heartbeat.
      if (this.#awaitingPong && this.clock.now() - this.#pingSentAt >= this.#pingIntervalMs / 2) {
        this.log.warn('Call Control WebSocket missed a heartbeat; reconnecting');
        ws.terminate();
        return;
      }
      this.#sendPing(ws);
      this.#armPing(ws, generation);
    }, this.#pingIntervalMs);
  }

  #disarmPing(): void {
    this.#pingTimer?.cancel();
    this.#pingTimer = null;
  }

  #sendPing(ws: WebSocket): void {
    if (!this.#awaitingPong) this.#pingSentAt = this.clock.now();
    this.#awaitingPong = true;
    ws.ping();
  }

  #onPong(): void {
    if (this.#awaitingPong) this.recordLatency(this.clock.now() - this.#pingSentAt);
    this.#awaitingPong = false;
    for (const wake of this.#pongWaiters.splice(0)) wake();
  }

  // ---- REST ----

  async #rest(method: 'GET' | 'POST', url: string, data?: unknown): Promise<AxiosResponse> {
    const broker = this.#broker;
    const http = this.#http;
    if (!broker || !http) throw RelayError.unconfigured('the 3CX connection (Call Control)');
    return broker.withToken((token) =>
      http.request({ method, url, data, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }),
    );
  }
}
