// The simulator's HTTP test control (/__sim/*), used the way a test in
// another process would use it.
import type { ActiveCall } from '../../../relay/contract/api-types.js';

export interface SimState {
  activeCalls: ActiveCall[];
  stats: { droppedCallIds: number[]; cdrRowsWritten: number };
}

async function send<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} -> ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

export class SimControl {
  constructor(private readonly baseUrl: string) {}

  state(): Promise<SimState> {
    return send(`${this.baseUrl}/__sim/state`);
  }

  async call(body: Record<string, unknown>): Promise<number> {
    const answer = await send<{ callId: number }>(`${this.baseUrl}/__sim/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return answer.callId;
  }

  /** An outside caller reaches the queue and an agent answers: a Talking call. */
  async talkingCall(from: string): Promise<number> {
    const callId = await this.call({ action: 'place', from });
    await this.call({ action: 'answer', callId });
    return callId;
  }

  async faults(body: Record<string, unknown>): Promise<void> {
    await send(`${this.baseUrl}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
}
