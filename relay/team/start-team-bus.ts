// The team bus as the running record starts it: one TeamBus on the store's
// database, joined to the auth and alert services. One call to start, one to
// stop (before the store closes: the bus sends through the store's pool).
import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { attachTeamBus, type TeamBusParties } from './attach-team-bus.js';
import { storeNotify, TeamBus, type TeamBusOptions } from './team-bus.js';

export interface StartTeamBusOptions<DB> {
  /** The store's postgres:// URL (`--store-url`). */
  storeUrl: string;
  /** The store's Kysely instance (store.db): NOTIFY goes through its pool. */
  db: Kysely<DB>;
  memberId: string;
  parties: Omit<TeamBusParties, 'logger'>;
  logger: Logger;
  clock?: Clock;
  tuning?: Pick<TeamBusOptions, 'channel' | 'backoff' | 'probeIntervalMs'>;
}

export interface RunningTeamBus {
  readonly bus: TeamBus;
  /** Resolves once the bus first listens (it keeps retrying until then). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export function startTeamBus<DB>(o: StartTeamBusOptions<DB>): RunningTeamBus {
  const bus = new TeamBus({ url: o.storeUrl, memberId: o.memberId, notify: storeNotify(o.db), logger: o.logger, ...(o.clock ? { clock: o.clock } : {}), ...o.tuning });
  const detach = attachTeamBus(bus, { ...o.parties, logger: o.logger });
  const ready = bus.start();
  return {
    bus,
    ready,
    async stop() {
      detach();
      await bus.stop();
    },
  };
}
