// The preload's exposed API, the main-side handlers and the renderer's IPC
// client must cover the same channels. Each list is collected from the real
// module: electron/preload.ts loaded with a stand-in `electron`, handlers
// registered on an in-memory ipcMain, and renderer/client/ipc-client.ts
// driven through the real bridge into those handlers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerIpcHandlers } from '../../../electron/ipc/register-ipc-handlers.js';
import { createSenderGuard } from '../../../electron/ipc/sender-guard.js';
import { createIpcClient } from '../../../renderer/client/ipc-client.js';
import { ADMIN_OPERATION_NAMES, ipcChannel } from '../../../relay/contract/admin-operations.js';
import type { RelayFrame } from '../../../relay/contract/api-types.js';
import type { DesktopBridge } from '../../../relay/contract/ipc-channels.js';
import { DESKTOP_OPERATION_NAMES, IPC_EVENTS, desktopChannel } from '../../../relay/contract/ipc-channels.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { APP_FRAME_EVENT, FakeIpcMain, FakeIpcRenderer } from './support/fake-ipc.js';
import { recordingOperations, SAMPLE_ARGS } from './support/recording-operations.js';

const electronStandIn = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  ipcRenderer: null as unknown,
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electronStandIn.exposed.set(key, api),
  },
  get ipcRenderer() {
    return electronStandIn.ipcRenderer;
  },
}));

const EXPECTED_CHANNELS = [...ADMIN_OPERATION_NAMES.map(ipcChannel), ...DESKTOP_OPERATION_NAMES.map(desktopChannel)].sort();

async function loadPreload(ipcRenderer: FakeIpcRenderer): Promise<DesktopBridge> {
  electronStandIn.exposed.clear();
  electronStandIn.ipcRenderer = ipcRenderer;
  vi.resetModules();
  await import('../../../electron/preload.js');
  expect([...electronStandIn.exposed.keys()]).toEqual(['relayDesktop']);
  return electronStandIn.exposed.get('relayDesktop') as DesktopBridge;
}

describe('IPC channel coverage', () => {
  let ipcMain: FakeIpcMain;
  let ops: ReturnType<typeof recordingOperations>;

  beforeEach(() => {
    ipcMain = new FakeIpcMain();
    ops = recordingOperations((op) => (op === 'exportCdrCsv' ? { path: '/tmp/x.csv', rows: 3 } : { answeredBy: op }));
    registerIpcHandlers(ipcMain, ops, {
      isTrustedSender: createSenderGuard({ trustedWebContentsId: () => APP_FRAME_EVENT.sender.id, origin: { scheme: 'app', host: 'relay' } }),
      logger: createLogger(memorySink()),
    });
  });
  afterEach(() => {
    electronStandIn.ipcRenderer = null;
  });

  it('the preload exposes exactly the DesktopBridge members', async () => {
    const bridge = await loadPreload(new FakeIpcRenderer(ipcMain));
    expect(Object.keys(bridge).sort()).toEqual(['desktop', 'invoke', 'onExportProgress', 'onFrame', 'onNavigate']);
    for (const member of Object.values(bridge)) expect(typeof member).toBe('function');
  });

  it('preload channels = main handlers = the contract list', async () => {
    const ipcRenderer = new FakeIpcRenderer(ipcMain);
    const bridge = await loadPreload(ipcRenderer);
    const invoke = bridge.invoke as (op: string, ...args: unknown[]) => Promise<unknown>;
    const desktop = bridge.desktop as (op: string, ...args: unknown[]) => Promise<unknown>;
    for (const op of ADMIN_OPERATION_NAMES) await invoke(op, ...SAMPLE_ARGS[op]!);
    for (const op of DESKTOP_OPERATION_NAMES) await desktop(op, ...SAMPLE_ARGS[op]!);

    expect([...new Set(ipcRenderer.invoked)].sort()).toEqual(EXPECTED_CHANNELS);
    expect([...ipcMain.handlers.keys()].sort()).toEqual(EXPECTED_CHANNELS);
  });

  it('the preload refuses operation names outside the contract without touching IPC', async () => {
    const ipcRenderer = new FakeIpcRenderer(ipcMain);
    const bridge = await loadPreload(ipcRenderer);
    const invoke = bridge.invoke as (op: string) => Promise<unknown>;
    await expect(invoke('__proto__')).rejects.toEqual({ error: 'unknown operation __proto__', code: 'bad_request' });
    await expect((bridge.desktop as (op: string) => Promise<unknown>)('health')).rejects.toMatchObject({ code: 'bad_request' });
    expect(ipcRenderer.invoked).toEqual([]);
  });

  it('the renderer client reaches every main-side handler through the preload', async () => {
    const ipcRenderer = new FakeIpcRenderer(ipcMain);
    const client = createIpcClient(await loadPreload(ipcRenderer));
    const clientOps = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const op of ADMIN_OPERATION_NAMES) {
      expect(await clientOps[op]!(...SAMPLE_ARGS[op]!), op).toEqual({ answeredBy: op });
    }
    const desktopOps = client.desktop as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const op of DESKTOP_OPERATION_NAMES) await desktopOps[op]!(...SAMPLE_ARGS[op]!);

    expect([...new Set(ipcRenderer.invoked)].sort()).toEqual(EXPECTED_CHANNELS);
    expect(new Set(ops.calls.map((c) => c.op))).toEqual(new Set([...ADMIN_OPERATION_NAMES, ...DESKTOP_OPERATION_NAMES]));
  });

  it('errors reach the renderer client as the relay\'s {error, code}', async () => {
    const client = createIpcClient(await loadPreload(new FakeIpcRenderer(ipcMain)));
    await expect(client.dropCall('x' as unknown as number)).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('events reach listeners without the IPC event object, and unsubscribe works', async () => {
    const ipcRenderer = new FakeIpcRenderer(ipcMain);
    const bridge = await loadPreload(ipcRenderer);
    const frames: unknown[][] = [];
    const pages: unknown[][] = [];
    const off = bridge.onFrame((...args) => frames.push(args));
    bridge.onNavigate((...args) => pages.push(args));
    const frame: RelayFrame = { type: 'resync_required', seq: 5 };
    ipcRenderer.emit(IPC_EVENTS.frame, frame);
    ipcRenderer.emit(IPC_EVENTS.navigate, 'errors');
    off();
    ipcRenderer.emit(IPC_EVENTS.frame, frame);
    expect(frames).toEqual([[frame]]);
    expect(pages).toEqual([['errors']]);
  });
});
