// Every invoke channel in one place: check the sender, parse the arguments
// with the contract's zod tuples, call the operation, and return an IpcReply
// (errors as `{error, code}` values, never a thrown Error Electron would flatten).
import type { AdminOperationName, AdminOperations } from '../../relay/contract/admin-operations.js';
import { ADMIN_OPERATION_NAMES, ipcChannel } from '../../relay/contract/admin-operations.js';
import type { ApiErrorBody } from '../../relay/contract/api-types.js';
import type { DesktopOperationName, DesktopOperations, IpcReply } from '../../relay/contract/ipc-channels.js';
import { DESKTOP_OPERATION_NAMES, desktopChannel } from '../../relay/contract/ipc-channels.js';
import { ADMIN_IPC_ARGS, DESKTOP_IPC_ARGS } from '../../relay/contract/ipc-schemas.js';
import type { Logger } from '../../relay/core/logger.js';
import { describeError, isRelayError } from '../../relay/core/relay-error.js';
import { describeIssues } from '../../relay/core/parse-input.js';
import type { InvokeEventLike } from './sender-guard.js';

/** The part of Electron's `ipcMain` used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcOperations {
  admin: AdminOperations;
  desktop: DesktopOperations;
}

type AnyOperation = (...args: unknown[]) => Promise<unknown>;
interface ArgsSchema {
  safeParse(args: unknown): { success: true; data: unknown } | { success: false; error: Parameters<typeof describeIssues>[0] };
}

export function toApiError(e: unknown, logger: Logger, channel: string): ApiErrorBody {
  if (isRelayError(e) && e.status < 500) return { error: e.message, code: e.code };
  if (isRelayError(e)) {
    logger.warn('ipc operation failed', { channel, code: e.code, error: e.message });
    return { error: e.message, code: e.code };
  }
  logger.error('unexpected error in ipc operation', { channel, error: describeError(e) });
  return { error: 'the relay hit an unexpected error; it has been logged', code: 'internal_error' };
}

/** Registers one handler per admin and desktop operation; returns a function that removes them all. */
export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  ops: IpcOperations,
  opts: { isTrustedSender: (event: InvokeEventLike) => boolean; logger: Logger },
): () => void {
  const { isTrustedSender, logger } = opts;
  const channels: string[] = [];

  const register = (channel: string, schema: ArgsSchema, call: AnyOperation) => {
    channels.push(channel);
    ipcMain.handle(channel, async (event, ...args): Promise<IpcReply<unknown>> => {
      if (!isTrustedSender(event)) {
        logger.warn('ipc call refused: unexpected sender', { channel, frameUrl: event.senderFrame?.url ?? null });
        return { ok: false, error: { error: 'this window may not call the relay', code: 'forbidden' } };
      }
      const parsed = schema.safeParse(args);
      if (!parsed.success) {
        return { ok: false, error: { error: describeIssues(parsed.error, 'arguments'), code: 'bad_request' } };
      }
      try {
        return { ok: true, value: await call(...(parsed.data as unknown[])) };
      } catch (e) {
        return { ok: false, error: toApiError(e, logger, channel) };
      }
    });
  };

  for (const name of ADMIN_OPERATION_NAMES) {
    const op = name satisfies AdminOperationName;
    register(ipcChannel(op), ADMIN_IPC_ARGS[op], (...args) => (ops.admin[op] as AnyOperation).apply(ops.admin, args));
  }
  for (const name of DESKTOP_OPERATION_NAMES) {
    const op = name satisfies DesktopOperationName;
    register(desktopChannel(op), DESKTOP_IPC_ARGS[op], (...args) => (ops.desktop[op] as AnyOperation).apply(ops.desktop, args));
  }

  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
