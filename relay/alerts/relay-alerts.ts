// The alert part of a running relay: engine and service over the store's
// alert tables, publishing on the event hub. The engine evaluates on its
// timer and at once whenever an upstream's connection state or a queue's
// figures change (an outage or a queue filling up should not wait for the
// next tick).
import type { AlertEntry } from '../contract/supervisor-types.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { EventHub } from '../events/event-hub.js';
import type { Store } from '../store/store.js';
import { AlertEngine } from './alert-engine.js';
import type { AlertSnapshot } from './alert-snapshot.js';
import { AlertService } from './alert-service.js';

export interface RelayAlerts {
  readonly engine: AlertEngine;
  readonly service: AlertService;
  start(): void;
  stop(): Promise<void>;
}

export interface RelayAlertParts {
  store: Pick<Store, 'alertRules' | 'alertHistory'>;
  hub: Pick<EventHub, 'publish' | 'subscribe'>;
  snapshot(): AlertSnapshot;
  onAlert(entry: AlertEntry): void;
  clock: Clock;
  logger: Logger;
  intervalMs?: number;
}

export function createRelayAlerts(p: RelayAlertParts): RelayAlerts {
  const engine = new AlertEngine({
    rules: p.store.alertRules, history: p.store.alertHistory, snapshot: p.snapshot, publish: (f) => void p.hub.publish(f),
    onAlert: p.onAlert, clock: p.clock, logger: p.logger.child({ component: 'alerts' }),
    ...(p.intervalMs !== undefined ? { intervalMs: p.intervalMs } : {}),
  });
  const service = new AlertService({ rules: p.store.alertRules, history: p.store.alertHistory, engine, clock: p.clock });
  let unsubscribe: (() => void) | null = null;
  return {
    engine,
    service,
    start() {
      unsubscribe ??= p.hub.subscribe((frame) => {
        // Evaluated as soon as the figures behind a rule move, not only on the timer (runs are serialised).
        if (frame.type === 'connection_state' || frame.type === 'queue_stats') void engine.evaluate();
      });
      engine.start();
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = null;
      await engine.stop();
    },
  };
}
