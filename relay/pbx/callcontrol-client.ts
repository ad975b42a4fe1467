// 3CX Call Control: a WebSocket of notifications plus REST to read and act.
// Lifecycle of one connection: get a token from the shared broker → open
// /callcontrol/ws with `Authorization: Bearer` → GET /callcontrol and rebuild
// the picture from scratch (3CX does not replay what was missed) → apply
// frames in arrival order. Any loss of the socket schedules another attempt
// with exponential backoff and full jitter, forever, until stop().
import type { AxiosResponse } from 'axios';
import WebSocket from 'ws';
import type { ActiveCall } from '../contract/api-types.js';
import { RelayError, describeError, isRelayError } from '../core/relay-error.js';
import { ComponentStatus, type ComponentDeps } from './component-status.js';
import type { CallControlFrame } from './callcontrol-frame.js';
import { EVENT_TYPE, MAX_FRAME_BYTES, parseFrame } from './callcontrol-frame.js';
import { CallControlState, fullStateSchema, participantSchema } from './callcontrol-state.js';
import type { BackoffPolicy } from './reconnect-backoff.js';
import { DEFAULT_BACKOFF, backoffDelayMs } from './reconnect-backoff.js';
import type { TokenBroker } from './token-broker.js';
import { isCredentialsRejected } from './token-broker.js';
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
}

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
  // Frames and resyncs run one at a time, in order; a task never rejects.
  #queue: Promise<void> = Promise.resolve();

  constructor(opts: CallControlClientOptions) {
    super('callcontrol', opts, opts.broker !== null);
    this.#broker = opts.broker;
    this.#random = opts.random ?? Math.random;
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
    this.#backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.#pingIntervalMs = opts.pingIntervalMs ?? 30_000;
    this.#http = opts.broker ? new UpstreamHttp({ baseUrl: opts.broker.baseUrl, timeoutMs: this.#timeoutMs }) : null;
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
    await this.#queue;
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

  async makeCall(fromDn: string, destination: string): Promise<{ callId?: string }> {
    const path = `${CC}/${encodeURIComponent(fromDn)}/makecall`;
    const res = await this.#rest('POST', path, { destination });
    if (res.status === 404) throw RelayError.notFound(`3CX Call Control does not know extension ${fromDn}`);
    if (!isSuccess(res)) throw upstreamStatusError(res, `POST ${path}`);
    const body = res.data as { result?: unknown } | null;
    const participant = participantSchema.safeParse(body && typeof body === 'object' ? body.result : undefined);
    return participant.success ? { callId: String(participant.data.callid) } : {};
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
        void this.#enqueue(() => this.#resync(ws, generation)).then(() => settled());
      });
      ws.on('message', (data) => {
        void this.#enqueue(() => this.#onMessage(ws, generation, data));
      });
      ws.on('pong', () => this.#onPong());
      ws.on('error', (e) => {
        lastError = e;
      });
      ws.on('close', (code, reason) => {
        if (this.#ws === ws) this.#ws = null;
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

  async #resync(ws: WebSocket, generation: number): Promise<void> {
    if (!this.#current(ws, generation)) return;
    const started = this.clock.now();
    try {
      const res = await this.#rest('GET', CC);
      if (!isSuccess(res)) throw upstreamStatusError(res, `GET ${CC}`);
      const parsed = fullStateSchema.safeParse(res.data);
      if (!parsed.success) throw RelayError.upstream('3CX answered GET /callcontrol with something other than a list of DN states');
      if (!this.#current(ws, generation)) return;
      const { skipped } = this.#picture.replaceAll(parsed.data, this.clock.now());
      if (skipped > 0) this.reportFault('warning', `Call Control full state had ${skipped} unreadable participant(s); they were skipped`);
      this.recordLatency(this.clock.now() - started);
      this.#failures = 0;
      this.setState('connected');
      this.log.info('Call Control connected and resynchronised', { participants: this.#picture.size });
      this.emit('calls', this.activeCalls());
    } catch (e) {
      if (!this.#current(ws, generation)) return;
      this.reportFault('error', `Call Control resync failed: ${describeError(e)}`, isRelayError(e) ? e.details : undefined);
      // Closing leads to #socketLost, which schedules the next attempt.
      ws.terminate();
    }
  }

  async #onMessage(ws: WebSocket, generation: number, data: WebSocket.RawData): Promise<void> {
    if (!this.#current(ws, generation)) return;
    const parsed = parseFrame(data);
    if (!parsed.ok) {
      this.log.warn('malformed Call Control frame', { error: parsed.error });
      this.reportFault('warning', `malformed Call Control frame ignored: ${parsed.error}`);
      return;
    }
    this.emit('event', parsed.frame.data);
    const changed = await this.#apply(parsed.frame);
    if (changed && this.#current(ws, generation)) this.emit('calls', this.activeCalls());
  }

  /** Bring the picture up to date for one frame; returns whether it changed. */
  async #apply(frame: CallControlFrame): Promise<boolean> {
    const target = frame.target;
    if (target.kind !== 'participant') return false;
    if (frame.eventType === EVENT_TYPE.remove) return this.#picture.remove(target.dn, target.id);
    if (frame.eventType !== EVENT_TYPE.upsert) return false;
    const path = participantPath(target.dn, target.id);
    try {
      const res = await this.#rest('GET', path);
      // Gone between the notification and our read: same as a removal.
      if (res.status === 404) return this.#picture.remove(target.dn, target.id);
      if (!isSuccess(res)) throw upstreamStatusError(res, `GET ${path}`);
      const participant = participantSchema.safeParse(res.data);
      if (!participant.success) {
        this.reportFault('warning', `3CX answered GET ${path} with an unreadable participant`);
        return false;
      }
      return this.#picture.upsert(target.dn, participant.data, this.clock.now());
    } catch (e) {
      this.reportFault('warning', `could not read ${path} after a Call Control event: ${describeError(e)}`);
      return false;
    }
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

  #enqueue(task: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(task).catch((e: unknown) => {
      // Tasks catch their own failures; this is the last line so the chain never rejects.
      this.reportFault('error', `Call Control handler failed: ${describeError(e)}`);
    });
    return this.#queue;
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
