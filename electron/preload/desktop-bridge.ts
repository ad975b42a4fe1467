// `window.relayDesktop`: typed pass-throughs to ipcRenderer and nothing else.
// The renderer never sees ipcRenderer, an IPC event object or a channel name
// outside the contract's list.
import { ADMIN_OPERATION_NAMES, ipcChannel, type AdminOperationName } from '../../relay/contract/admin-operations.js';
import type { ApiErrorBody } from '../../relay/contract/api-types.js';
import {
  DESKTOP_OPERATION_NAMES, IPC_EVENTS, desktopChannel, type DesktopBridge, type DesktopOperationName, type IpcReply,
} from '../../relay/contract/ipc-channels.js';

/** The part of Electron's `ipcRenderer` the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const ADMIN = new Set<string>(ADMIN_OPERATION_NAMES);
const DESKTOP = new Set<string>(DESKTOP_OPERATION_NAMES);

function isReply(v: unknown): v is IpcReply<unknown> {
  return !!v && typeof v === 'object' && typeof (v as { ok?: unknown }).ok === 'boolean';
}

export function createDesktopBridge(ipcRenderer: IpcRendererLike): DesktopBridge {
  // Rejects with the plain `{error, code}` body: plain objects survive contextBridge intact.
  const call = async (channel: string, args: unknown[]): Promise<unknown> => {
    const reply = await ipcRenderer.invoke(channel, ...args);
    if (!isReply(reply)) throw { error: 'the desktop shell sent an unexpected reply', code: 'internal_error' } satisfies ApiErrorBody;
    if (!reply.ok) throw { error: String(reply.error.error), code: String(reply.error.code) } satisfies ApiErrorBody;
    return reply.value;
  };
  const unknownOp = (op: unknown) =>
    Promise.reject({ error: `unknown operation ${String(op)}`, code: 'bad_request' } satisfies ApiErrorBody);

  // Strips the IpcRendererEvent: it carries `sender`, which must not reach the page.
  const subscribe = <T>(channel: string, listener: (payload: T) => void): (() => void) => {
    const wrapped = (_event: unknown, payload: unknown) => listener(payload as T);
    ipcRenderer.on(channel, wrapped);
    return () => void ipcRenderer.removeListener(channel, wrapped);
  };

  const bridge = {
    invoke: (op: AdminOperationName, ...args: unknown[]) =>
      (ADMIN.has(op) ? call(ipcChannel(op), args) : unknownOp(op)),
    desktop: (op: DesktopOperationName, ...args: unknown[]) =>
      (DESKTOP.has(op) ? call(desktopChannel(op), args) : unknownOp(op)),
    onFrame: (listener: Parameters<DesktopBridge['onFrame']>[0]) => subscribe(IPC_EVENTS.frame, listener),
    onNavigate: (listener: (page: string) => void) => subscribe(IPC_EVENTS.navigate, listener),
    onExportProgress: (listener: Parameters<DesktopBridge['onExportProgress']>[0]) => subscribe(IPC_EVENTS.exportProgress, listener),
  } satisfies { [K in keyof DesktopBridge]: (...args: never[]) => unknown };
  // The generic signatures of DesktopBridge are checked per call site in the renderer; here every
  // operation goes through the same two functions.
  return bridge as unknown as DesktopBridge;
}
