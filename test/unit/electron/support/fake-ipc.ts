// In-memory stand-ins for Electron's ipcMain / ipcRenderer pair: invoke()
// calls the handler registered for the channel with an event whose sender
// the test chooses, as Electron would.
import type { IpcMainLike } from '../../../../electron/ipc/register-ipc-handlers.js';
import type { InvokeEventLike } from '../../../../electron/ipc/sender-guard.js';
import type { IpcRendererLike } from '../../../../electron/preload/desktop-bridge.js';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

export const APP_FRAME_EVENT: InvokeEventLike = { sender: { id: 7 }, senderFrame: { url: 'app://relay/index.html', parent: null } };

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  async invoke(event: InvokeEventLike, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    // Electron structured-clones arguments and results across processes.
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
}

/** The renderer side, wired to a FakeIpcMain; records every channel it invokes. */
export class FakeIpcRenderer implements IpcRendererLike {
  readonly invoked: string[] = [];
  readonly listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();

  constructor(private readonly main: FakeIpcMain | null, private readonly event: InvokeEventLike = APP_FRAME_EVENT) {}

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push(channel);
    if (!this.main) return Promise.resolve({ ok: true, value: null });
    return this.main.invoke(this.event, channel, ...args);
  }

  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): this {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
    return this;
  }

  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }

  /** What webContents.send(channel, payload) does on the renderer side. */
  emit(channel: string, payload: unknown): void {
    for (const l of this.listeners.get(channel) ?? []) l({ sender: 'ipc-renderer-event' }, payload);
  }
}
