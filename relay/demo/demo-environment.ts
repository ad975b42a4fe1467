// `--demo`: everything a newcomer needs, in-process. The 3CX simulator with
// its call generator on (a few calls a minute, shortened, so live calls
// change within seconds) writing finished calls into a PGlite call-record
// database, which is also filled with months of generated history.
import type { Logger } from '../core/logger.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';
import type { CdrConfig, PbxConfig } from '../pbx/pbx-config.js';
import { startDemoCdrDatabase, type DemoCdrDatabase } from './demo-cdr-database.js';

export const DEMO_HISTORY = { rows: 50_000, days: 183 } as const;
/** The steady call rate after the first busy seconds. */
export const DEMO_CALLS_PER_MINUTE = 12;

export interface DemoEnvironment {
  readonly pbx: PbxConfig;
  readonly cdr: CdrConfig;
  readonly simulator: Simulator;
  /** The call-record database answers (the relay's upstreams should start after this). */
  readonly ready: Promise<void>;
  /** Generates the call history; resolves with the row count. */
  seedHistory(now: number): Promise<{ rows: number }>;
  stop(): Promise<void>;
}

export interface DemoOptions {
  logger: Logger;
  callsPerMinute?: number;
  /** Multiplies call durations (default 0.25: talk ~40 s instead of ~2.5 min). */
  timeScale?: number;
  historyRows?: number;
  /** The 3CX release the simulator plays (default: the simulator's, 20.0.7). */
  pbxVersion?: string;
}

export async function startDemoEnvironment(opts: DemoOptions): Promise<DemoEnvironment> {
  const logger = opts.logger.child({ component: 'demo' });
  let database: DemoCdrDatabase | null = null;
  let simulator: Simulator | null = null;
  try {
    database = await startDemoCdrDatabase(logger);
    simulator = await startSimulator({
      callsPerMinute: 0,
      timeScale: opts.timeScale ?? 0.25,
      // Agents log in and out about every 10 s, so the supervisor view moves too.
      agentChurnPerMinute: 6,
      cdrDatabaseUrl: database.url,
      ...(opts.pbxVersion !== undefined ? { pbxVersion: opts.pbxVersion } : {}),
      // The relay's live list still comes from Call Control: until it reads
      // XAPI (issue 11, item 3) the demo lets Call Control see every DN.
      callControlMonitors: 'all',
      logger,
    });
  } catch (e) {
    await simulator?.stop();
    await database?.stop();
    throw e;
  }
  const db = database;
  const sim = simulator;
  // A busy first few seconds, so the dashboard a newcomer opens already shows
  // calls ringing, being answered and ending; then the steady rate.
  const rate = opts.callsPerMinute ?? DEMO_CALLS_PER_MINUTE;
  sim.setCallsPerMinute(Math.max(rate, 60));
  const warmup = setTimeout(() => sim.setCallsPerMinute(rate), 10_000);
  warmup.unref();
  return {
    pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret },
    cdr: { url: db.url },
    simulator: sim,
    ready: db.ready,
    seedHistory: (now) => db.seedHistory({ rows: opts.historyRows ?? DEMO_HISTORY.rows, days: DEMO_HISTORY.days, now }),
    async stop() {
      clearTimeout(warmup);
      await sim.stop();
      await db.stop();
    },
  };
}
