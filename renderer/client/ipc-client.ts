// RelayClient over the Electron preload bridge (`window.relayDesktop`). The
// relay runs in the main process, so the live link is always up and the
// person at the desktop is the local admin: no login.
import { ADMIN_OPERATION_NAMES, type AdminOperations } from '../../relay/contract/admin-operations.js';
import type { AdminUser, RelayFrame } from '../../relay/contract/api-types.js';
import {
  DESKTOP_OPERATION_NAMES, type DesktopBridge, type DesktopOperations, type ExportProgress,
} from '../../relay/contract/ipc-channels.js';
import type { CdrRange, CsvExportResult, LinkState, RelayClient } from './relay-client.js';
import { RelayApiError } from './relay-api-error.js';

// The preload rejects with the relay's `{error, code}` body (the same one the
// HTTP API sends). Should a raw Electron error slip through, it reads
// "Error invoking remote method 'relay:x': Error: <message>"; the person sees
// only <message>.
const IPC_PREFIX = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

function toRelayApiError(err: unknown): unknown {
  if (err && typeof err === 'object') {
    const body = err as { error?: unknown; code?: unknown; message?: unknown };
    const code = typeof body.code === 'string' ? body.code : 'ipc_error';
    if (typeof body.error === 'string') return new RelayApiError(body.error, code, 0);
    if (typeof body.message === 'string') return new RelayApiError(body.message.replace(IPC_PREFIX, ''), code, 0);
  }
  return err;
}

async function unwrapIpcError<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw toRelayApiError(err);
  }
}

type Invoker = (op: string, ...args: unknown[]) => Promise<unknown>;

/** One method per name, each a call across the bridge with errors unwrapped. */
function forward<T>(names: readonly string[], invoke: Invoker): T {
  const ops: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of names) ops[name] = (...args: unknown[]) => unwrapIpcError(invoke(name, ...args));
  return ops as T;
}

/** The desktop-only operations across the bridge, errors unwrapped like the admin ones. */
export function desktopOperations(bridge: DesktopBridge): DesktopOperations {
  return forward<DesktopOperations>(DESKTOP_OPERATION_NAMES, bridge.desktop.bind(bridge) as Invoker);
}

export function createIpcClient(bridge: DesktopBridge): RelayClient {
  const admin = forward<AdminOperations>(ADMIN_OPERATION_NAMES, bridge.invoke.bind(bridge) as Invoker);
  const desktop = desktopOperations(bridge);
  const noListener = () => () => undefined;
  return {
    ...admin,
    mode: 'ipc',
    linkState: 'live' satisfies LinkState,
    desktop,
    supervisor: admin,
    startLive: () => undefined,
    stopLive: () => undefined,
    subscribe: (listener: (frame: RelayFrame) => void) => bridge.onFrame(listener),
    onLinkState: noListener,
    onNavigate: (listener: (page: string) => void) => bridge.onNavigate(listener),
    onSignedOut: noListener,
    login: (): Promise<AdminUser> =>
      Promise.reject(new RelayApiError('The desktop app needs no login.', 'not_supported', 400)),
    logout: () => Promise.resolve(),
    // The desktop person is the local admin: no current password to prove.
    changeOwnPassword: (username: string, _current: string, password: string) => admin.setPassword(username, password),
    async exportCdrCsv(range: CdrRange, onProgress: (p: ExportProgress) => void): Promise<CsvExportResult | null> {
      const unsubscribe = bridge.onExportProgress(onProgress);
      try {
        const saved = await desktop.exportCdrCsv(range);
        if (!saved) return null;
        onProgress({ rows: saved.rows, fraction: 1 });
        return { rows: saved.rows, savedAs: saved.path };
      } finally {
        unsubscribe();
      }
    },
  };
}
