// A real SQLite store in a temporary directory, an event hub and an engine
// over them, with a manual clock and a snapshot the test sets by hand.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ComponentHealth, ComponentName, SequencedFrame } from '../../../relay/contract/api-types.js';
import type { AlertEntry, AlertRuleInput, PbxOverview, QueueFigures, Sourced } from '../../../relay/contract/supervisor-types.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { EventHub } from '../../../relay/events/event-hub.js';
import { AlertEngine } from '../../../relay/alerts/alert-engine.js';
import type { AlertSnapshot } from '../../../relay/alerts/alert-snapshot.js';
import { AlertService } from '../../../relay/alerts/alert-service.js';
import { openStore, type Store } from '../../../relay/store/store.js';
import { ManualClock } from '../../support/manual-clock.js';

export function sourced<T>(value: T, stale = false): Sourced<T> {
  return { value, asOf: '2026-11-02T09:00:00.000Z', stale };
}

export function queue(id: number, figures: Partial<Record<'callsWaiting' | 'longestWaitS' | 'agentsAvailable' | 'serviceLevelToday', number | null>> = {}, stale = false): QueueFigures {
  return {
    id, number: String(800 + id), name: `Q${id}`, slaSeconds: 20,
    callsWaiting: sourced(figures.callsWaiting ?? 0, stale),
    longestWaitS: sourced(figures.longestWaitS ?? 0, stale),
    agentsLoggedIn: sourced(5, stale),
    agentsAvailable: sourced(figures.agentsAvailable ?? 5, stale),
    agentsBusy: sourced(0, stale),
    answeredToday: sourced(10, stale),
    abandonedToday: sourced(0, stale),
    serviceLevelToday: sourced(figures.serviceLevelToday === undefined ? 100 : figures.serviceLevelToday, stale),
    avgWaitS: sourced(5, stale),
    avgTalkS: sourced(60, stale),
  };
}

export function pbx(trunksRegistered: number | null, trunksTotal: number | null): PbxOverview {
  return {
    version: '20.0.7.1080', licenseActive: true, extensions: { registered: 10, total: 10 },
    trunks: { registered: trunksRegistered, total: trunksTotal }, callControlCoverage: null, asOf: '2026-11-02T09:00:00.000Z', stale: false,
  };
}

export function components(overrides: Partial<Record<ComponentName, Partial<ComponentHealth>>> = {}): Record<ComponentName, ComponentHealth> {
  const up = (c: ComponentName): ComponentHealth => ({ state: 'connected', latencyMs: 5, lastError: null, since: '2026-11-02T08:00:00.000Z', ...overrides[c] });
  return { xapi: up('xapi'), callcontrol: up('callcontrol'), database: up('database') };
}

export function ruleInput(over: Partial<AlertRuleInput> & Pick<AlertRuleInput, 'kind' | 'threshold'>): AlertRuleInput {
  return { name: `${over.kind} rule`, queueId: null, severity: 'warning', quietHours: [], cooldownS: 0, enabled: true, ...over };
}

export interface AlertRig {
  clock: ManualClock;
  store: Store;
  hub: EventHub;
  engine: AlertEngine;
  service: AlertService;
  snapshot: AlertSnapshot;
  /** What onAlert received, in order. */
  heard: AlertEntry[];
  frames(): SequencedFrame[];
  close(): Promise<void>;
}

export async function alertRig(start?: number): Promise<AlertRig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-alerts-'));
  const clock = new ManualClock(start);
  const store = await openStore({ dataDir: path.join(dir, 'data') }, silentLogger, { clock });
  const hub = new EventHub({ clock });
  const heard: AlertEntry[] = [];
  const rig: AlertRig = {
    clock, store, hub, heard,
    snapshot: { queues: [], pbx: null, components: components() },
    engine: null as unknown as AlertEngine,
    service: null as unknown as AlertService,
    frames: () => {
      const r = hub.since(0);
      return r.kind === 'frames' ? r.frames.map((w) => JSON.parse(w.bytes.toString()) as SequencedFrame) : [];
    },
    async close() {
      await rig.engine.stop();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  rig.engine = new AlertEngine({
    rules: store.alertRules, history: store.alertHistory, snapshot: () => rig.snapshot,
    publish: (f) => hub.publish(f), onAlert: (e) => heard.push(e), clock, logger: silentLogger,
  });
  rig.service = new AlertService({ rules: store.alertRules, history: store.alertHistory, engine: rig.engine, clock });
  return rig;
}
