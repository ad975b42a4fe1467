// The relay service inside the desktop app, with the lifecycle the tray
// needs: start, pause (stop the service), resume (a fresh service from the
// current settings), restart on a port change, and a clean stop on quit.
// Listeners and the admin operations stay valid across restarts.
import type { AdminOperationName, AdminOperations } from '../../relay/contract/admin-operations.js';
import { ADMIN_OPERATION_NAMES } from '../../relay/contract/admin-operations.js';
import type { ErrorEntry, Health, RelayFrame } from '../../relay/contract/api-types.js';
import type { AlertEntry } from '../../relay/contract/supervisor-types.js';
import type { Logger } from '../../relay/core/logger.js';
import { RelayError, describeError } from '../../relay/core/relay-error.js';
import type { CsvExportProgress, RelayConfig, RelayService } from '../../relay/service.js';

export interface RelayHostDeps {
  createService: (config: RelayConfig) => RelayService;
  /** The config from the current settings and secrets, read on every (re)start. */
  buildConfig: () => Promise<RelayConfig>;
  logger: Logger;
}

export interface RelayStartInfo { url: string; bootstrapPassword?: string }

export interface RelayHost {
  /** Always the current service's local-admin operations; rejects `relay_paused` while paused. */
  readonly admin: AdminOperations;
  start(): Promise<RelayStartInfo>;
  pause(): Promise<void>;
  resume(): Promise<RelayStartInfo>;
  restart(): Promise<RelayStartInfo>;
  /** Final stop on quit; the same as pause. */
  stop(): Promise<void>;
  isRunning(): boolean;
  url(): string | null;
  health(): Health | null;
  reconfigure(partial: Partial<Pick<RelayConfig, 'pbx' | 'cdr'>>): Promise<void>;
  exportCdrCsv(range: { from: string; to: string }, out: NodeJS.WritableStream, onProgress?: (p: CsvExportProgress) => void): Promise<{ rows: number }>;
  onFrame(listener: (frame: RelayFrame) => void): () => void;
  onError(listener: (entry: ErrorEntry, isNew: boolean) => void): () => void;
  /** Alerts as they fire, clear and are acknowledged: for the tray and notifications. */
  onAlert(listener: (entry: AlertEntry) => void): () => void;
  /** Running/paused changes, for the tray. */
  onRunningChange(listener: (running: boolean) => void): () => void;
  /** The running service's connection test (it reuses its own upstreams); null while paused. */
  connectionTest(): RelayService['testConnection'] | null;
}

export const relayPaused = () => new RelayError('relay_paused', 503, 'the relay is paused; resume it from the tray menu');

export function createRelayHost(deps: RelayHostDeps): RelayHost {
  const { logger } = deps;
  let current: { service: RelayService; url: string; unsubscribe: () => void } | null = null;
  // Lifecycle steps run one after another: a pause clicked during a start waits for it.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(step: () => Promise<T>): Promise<T> => {
    const run = queue.then(step, step);
    queue = run.catch(() => {});
    return run;
  };

  const frameListeners = new Set<(frame: RelayFrame) => void>();
  const errorListeners = new Set<(entry: ErrorEntry, isNew: boolean) => void>();
  const alertListeners = new Set<(entry: AlertEntry) => void>();
  const runningListeners = new Set<(running: boolean) => void>();
  const emitRunning = (running: boolean) => {
    for (const l of runningListeners) l(running);
  };

  const running = (): RelayService => {
    if (!current) throw relayPaused();
    return current.service;
  };

  const startNow = async (): Promise<RelayStartInfo> => {
    if (current) return { url: current.url };
    const service = deps.createService(await deps.buildConfig());
    const info = await service.start();
    const offFrame = service.onFrame((f) => {
      for (const l of frameListeners) l(f);
    });
    const offError = service.onError((e, isNew) => {
      for (const l of errorListeners) l(e, isNew);
    });
    const offAlert = service.onAlert((e) => {
      for (const l of alertListeners) l(e);
    });
    current = { service, url: info.url, unsubscribe: () => { offFrame(); offError(); offAlert(); } };
    logger.info('relay started', { url: info.url });
    emitRunning(true);
    return info;
  };

  const stopNow = async (): Promise<void> => {
    if (!current) return;
    const { service, unsubscribe } = current;
    current = null;
    unsubscribe();
    try {
      await service.stop();
    } catch (e) {
      logger.error('relay did not stop cleanly', { error: describeError(e) });
    }
    logger.info('relay stopped');
    emitRunning(false);
  };

  const admin = Object.fromEntries(ADMIN_OPERATION_NAMES.map((op: AdminOperationName) => [
    op,
    // async: a paused relay rejects like any failed operation, never throws synchronously.
    async (...args: unknown[]) => {
      const ops = running().admin;
      return (ops[op] as (...a: unknown[]) => Promise<unknown>).apply(ops, args);
    },
  ])) as unknown as AdminOperations;

  const subscribe = <T>(set: Set<T>, listener: T) => {
    set.add(listener);
    return () => void set.delete(listener);
  };

  return {
    admin,
    start: () => serial(startNow),
    resume: () => serial(startNow),
    pause: () => serial(stopNow),
    stop: () => serial(stopNow),
    restart: () => serial(async () => {
      await stopNow();
      return startNow();
    }),
    isRunning: () => current !== null,
    url: () => current?.url ?? null,
    health: () => current?.service.health() ?? null,
    reconfigure: (partial) => serial(async () => {
      // Paused: nothing to tell; the next start reads the saved settings anyway.
      if (current) await current.service.reconfigure(partial);
    }),
    exportCdrCsv: async (range, out, onProgress) => running().exportCdrCsv(range, out, onProgress),
    onFrame: (l) => subscribe(frameListeners, l),
    onError: (l) => subscribe(errorListeners, l),
    onAlert: (l) => subscribe(alertListeners, l),
    onRunningChange: (l) => subscribe(runningListeners, l),
    connectionTest: () => {
      const service = current?.service;
      return service ? (candidate) => service.testConnection(candidate) : null;
    },
  };
}
