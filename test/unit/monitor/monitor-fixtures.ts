// Shared pieces of the monitor tests: a real store (SQLite in a temporary data
// dir) and a small upstream component that implements the Call Control port
// for tests driving states by hand.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ActiveCall, ComponentHealth, ComponentName, ComponentState } from '../../../relay/contract/api-types.js';
import type { Clock } from '../../../relay/core/clock.js';
import { silentLogger } from '../../../relay/core/logger.js';
import type { CallControlEvents, CallControlPort, TypedEmitter, UpstreamFault } from '../../../relay/pbx/upstream.js';
import { openStore, type Store } from '../../../relay/store/store.js';

export async function openTempStore(): Promise<{ store: Store; dir: string; cleanup(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-monitor-'));
  const store = await openStore({ dataDir: path.join(dir, 'data') }, silentLogger);
  return {
    store,
    dir,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const Emitter = EventEmitter as unknown as new () => TypedEmitter<CallControlEvents>;

/** An upstream component whose state the test sets; counts lifecycle calls. */
export class HandDrivenComponent extends Emitter implements CallControlPort {
  calls: ActiveCall[] = [];
  started = 0;
  stopped = 0;
  checks = 0;
  reconnects = 0;
  private h: ComponentHealth;

  constructor(readonly name: ComponentName, private readonly clock: Clock, initial: ComponentState = 'disconnected', private readonly connectOnStart = true) {
    super();
    this.h = { state: initial, latencyMs: null, lastError: null, since: new Date(clock.now()).toISOString() };
  }

  health(): ComponentHealth { return { ...this.h }; }

  set(state: ComponentState, error: string | null = null, latencyMs: number | null = this.h.latencyMs): void {
    const previous = this.health();
    this.h = { state, latencyMs, lastError: error, since: new Date(this.clock.now()).toISOString() };
    this.emit('state', this.health(), previous);
  }

  fault(f: Omit<UpstreamFault, 'component'>): void {
    this.emit('fault', { component: this.name, ...f });
  }

  async start(): Promise<void> {
    this.started++;
    if (this.connectOnStart && this.h.state !== 'unconfigured') this.set('connected', null, 5);
  }
  async stop(): Promise<void> {
    this.stopped++;
    if (this.h.state !== 'unconfigured') this.set('disconnected');
  }
  async reconnect(): Promise<void> {
    this.reconnects++;
    this.set('disconnected');
    this.set('connecting');
    this.set('connected', null, 5);
  }
  async check(): Promise<void> { this.checks++; }
  activeCalls(): ActiveCall[] { return this.calls; }
  monitoredDns(): null { return null; }
  async dropCall(): Promise<void> {}
  async makeCall(): Promise<{ callId?: string }> { return {}; }
}
