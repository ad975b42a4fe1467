// Plain HTTP/WS helpers for talking to the 3CX simulator in tests, without
// the relay's own clients (so the simulator is checked against the protocol,
// and tests of other parts can set up scenarios quickly).
import WebSocket from 'ws';
import type { Simulator } from '../../relay/sim/simulator.js';

export interface TokenAnswer { status: number; body: Record<string, unknown> }

export async function requestToken(sim: Pick<Simulator, 'url' | 'clientId' | 'clientSecret'>, override: { clientId?: string; clientSecret?: string; grantType?: string } = {}): Promise<TokenAnswer> {
  const res = await fetch(`${sim.url}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: override.clientId ?? sim.clientId,
      client_secret: override.clientSecret ?? sim.clientSecret,
      grant_type: override.grantType ?? 'client_credentials',
    }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A valid access token (fails the test if the simulator refuses). */
export async function accessToken(sim: Pick<Simulator, 'url' | 'clientId' | 'clientSecret'>): Promise<string> {
  const { status, body } = await requestToken(sim);
  if (status !== 200 || typeof body.access_token !== 'string') throw new Error(`token request failed: ${status} ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function bearerFetch(sim: Pick<Simulator, 'url'>, token: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${sim.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  return { status: res.status, body, headers: res.headers };
}

/** An open Call Control socket that records every frame it receives. */
export class CallControlFrames {
  readonly raw: string[] = [];
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.raw.push(data.toString());
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(sim: Pick<Simulator, 'url'>, token: string | null): Promise<CallControlFrames> {
    const ws = new WebSocket(`${sim.url.replace(/^http/, 'ws')}/callcontrol/ws`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return new CallControlFrames(ws);
  }

  /** Parsed frames (non-JSON frames are skipped). */
  get frames(): Array<{ sequence: number; event: { event_type: number; entity: string; attached_data: unknown } }> {
    const out = [];
    for (const r of this.raw) {
      try {
        out.push(JSON.parse(r));
      } catch {
        // malformed on purpose in fault tests
      }
    }
    return out;
  }

  /** Resolves once at least `n` frames arrived. */
  async waitForCount(n: number, timeoutMs = 2_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.raw.length < n) {
      if (this.closed) throw new Error(`socket closed after ${this.raw.length} of ${n} frames`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out with ${this.raw.length} of ${n} frames`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async waitForClose(timeoutMs = 2_000): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
      this.ws.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Polls `check` until it returns true (for asynchronous effects like CDR writes). */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 3_000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Sockets a test opened, closed together in afterEach. */
export class SocketPool {
  private readonly sockets: CallControlFrames[] = [];

  async open(sim: Pick<Simulator, 'url'>, token: string): Promise<CallControlFrames> {
    const s = await CallControlFrames.open(sim, token);
    this.sockets.push(s);
    return s;
  }

  closeAll(): void {
    for (const s of this.sockets.splice(0)) s.close();
  }
}
