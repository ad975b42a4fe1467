import { describe, expect, it } from 'vitest';
import { registerIpcHandlers } from '../../../electron/ipc/register-ipc-handlers.js';
import { createSenderGuard, type InvokeEventLike } from '../../../electron/ipc/sender-guard.js';
import { ADMIN_OPERATION_NAMES, ipcChannel } from '../../../relay/contract/admin-operations.js';
import { DESKTOP_OPERATION_NAMES, desktopChannel } from '../../../relay/contract/ipc-channels.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { RelayError } from '../../../relay/core/relay-error.js';
import { APP_FRAME_EVENT, FakeIpcMain } from './support/fake-ipc.js';
import { recordingOperations, SAMPLE_ARGS } from './support/recording-operations.js';

const MAIN_WINDOW_ID = APP_FRAME_EVENT.sender.id;

function setup(answer?: (op: string, args: unknown[]) => unknown) {
  const ipcMain = new FakeIpcMain();
  const ops = recordingOperations(answer);
  const sink = memorySink();
  const logger = createLogger(sink, { level: 'debug' });
  const isTrustedSender = createSenderGuard({ trustedWebContentsId: () => MAIN_WINDOW_ID, origin: { scheme: 'app', host: 'relay' } });
  const unregister = registerIpcHandlers(ipcMain, ops, { isTrustedSender, logger });
  return { ipcMain, ops, sink, unregister };
}

describe('registerIpcHandlers', () => {
  it('registers exactly one handler per admin and desktop operation', () => {
    const { ipcMain } = setup();
    const expected = [...ADMIN_OPERATION_NAMES.map(ipcChannel), ...DESKTOP_OPERATION_NAMES.map(desktopChannel)];
    expect([...ipcMain.handlers.keys()].sort()).toEqual(expected.sort());
  });

  it('passes a valid call from the app frame to the operation and returns its answer', async () => {
    const { ipcMain, ops } = setup((op, args) => ({ op, echoed: args }));
    const reply = await ipcMain.invoke(APP_FRAME_EVENT, 'relay:dropCall', 42);
    expect(reply).toEqual({ ok: true, value: { op: 'dropCall', echoed: [42] } });
    expect(ops.calls).toEqual([{ op: 'dropCall', args: [42] }]);
  });

  it('passes the parsed arguments (defaults applied) to the operation', async () => {
    const { ipcMain, ops } = setup();
    await ipcMain.invoke(APP_FRAME_EVENT, 'relay:listErrors', { severity: 'critical' });
    expect(ops.calls[0]).toEqual({ op: 'listErrors', args: [{ severity: 'critical', limit: 100 }] });
  });

  it('accepts every operation with well-formed arguments', async () => {
    const { ipcMain, ops } = setup();
    for (const op of ADMIN_OPERATION_NAMES) {
      expect(await ipcMain.invoke(APP_FRAME_EVENT, ipcChannel(op), ...SAMPLE_ARGS[op]!), op).toMatchObject({ ok: true });
    }
    for (const op of DESKTOP_OPERATION_NAMES) {
      expect(await ipcMain.invoke(APP_FRAME_EVENT, desktopChannel(op), ...SAMPLE_ARGS[op]!), op).toMatchObject({ ok: true });
    }
    expect(ops.calls).toHaveLength(ADMIN_OPERATION_NAMES.length + DESKTOP_OPERATION_NAMES.length);
  });

  describe('refuses a call from an unexpected frame', () => {
    const cases: [string, InvokeEventLike][] = [
      ['an iframe inside our page', { sender: { id: MAIN_WINDOW_ID }, senderFrame: { url: 'app://relay/index.html', parent: {} } }],
      ['another window', { sender: { id: MAIN_WINDOW_ID + 1 }, senderFrame: { url: 'app://relay/index.html', parent: null } }],
      ['a remote page in our window', { sender: { id: MAIN_WINDOW_ID }, senderFrame: { url: 'https://evil.example/app', parent: null } }],
      ['a file:// page', { sender: { id: MAIN_WINDOW_ID }, senderFrame: { url: 'file:///etc/passwd', parent: null } }],
      ['another app:// host', { sender: { id: MAIN_WINDOW_ID }, senderFrame: { url: 'app://other/index.html', parent: null } }],
      ['a destroyed frame', { sender: { id: MAIN_WINDOW_ID }, senderFrame: null }],
    ];
    it.each(cases)('%s', async (_name, event) => {
      const { ipcMain, ops, sink } = setup();
      const reply = await ipcMain.invoke(event, 'relay:createApiKey', 'x', ['control']);
      expect(reply).toEqual({ ok: false, error: { error: 'this window may not call the relay', code: 'forbidden' } });
      expect(ops.calls).toEqual([]);
      expect(sink.records.some((r) => r.msg === 'ipc call refused: unexpected sender')).toBe(true);
    });

    it('while there is no main window at all', async () => {
      const ipcMain = new FakeIpcMain();
      const ops = recordingOperations();
      registerIpcHandlers(ipcMain, ops, {
        isTrustedSender: createSenderGuard({ trustedWebContentsId: () => null, origin: { scheme: 'app', host: 'relay' } }),
        logger: createLogger(memorySink()),
      });
      expect(await ipcMain.invoke(APP_FRAME_EVENT, 'relay:health')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(ops.calls).toEqual([]);
    });
  });

  describe('refuses bad arguments before calling the operation', () => {
    const cases: [string, string, unknown[]][] = [
      ['a call id as a string', 'relay:dropCall', ['42']],
      ['a negative call id', 'relay:dropCall', [-1]],
      ['a missing argument', 'relay:reconnect', []],
      ['an extra argument', 'relay:health', ['surprise']],
      ['an unknown component', 'relay:reconnect', ['mainframe']],
      ['a user name with a slash', 'relay:createUser', ['../admin', 'a-long-password', 'admin']],
      ['a short password', 'relay:setPassword', ['admin', 'short']],
      ['an unknown permission', 'relay:createApiKey', ['crm', ['root']]],
      ['a reversed CDR range', 'relay:cdrPage', [{ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }]],
      ['an unknown settings field', 'relay:desktop:saveSettings', [{ pbxUrl: 'https://pbx.example.com', evil: true }]],
      ['a plain-http PBX URL to a remote host', 'relay:desktop:saveSettings', [{ pbxUrl: 'http://pbx.example.com' }]],
      ['a PBX URL with credentials', 'relay:desktop:testConnection', [{ pbxUrl: 'https://u:p@pbx.example.com' }]],
      ['a non-postgres database URL', 'relay:desktop:saveSettings', [{ cdrDbUrl: 'mysql://db/x' }]],
      ['a port out of range', 'relay:desktop:saveSettings', [{ relayPort: 70000 }]],
      ['an export range over 366 days', 'relay:desktop:exportCdrCsv', [{ from: '2024-01-01', to: '2026-01-01' }]],
    ];
    it.each(cases)('%s', async (_name, channel, args) => {
      const { ipcMain, ops } = setup();
      const reply = await ipcMain.invoke(APP_FRAME_EVENT, channel, ...args) as { ok: boolean; error: { code: string; error: string } };
      expect(reply.ok).toBe(false);
      expect(reply.error.code).toBe('bad_request');
      expect(reply.error.error.length).toBeGreaterThan(0);
      expect(ops.calls).toEqual([]);
    });
  });

  it('maps a RelayError from the operation to {error, code}', async () => {
    const { ipcMain } = setup(() => {
      throw RelayError.notFound('no call 42 is active');
    });
    expect(await ipcMain.invoke(APP_FRAME_EVENT, 'relay:dropCall', 42))
      .toEqual({ ok: false, error: { error: 'no call 42 is active', code: 'not_found' } });
  });

  it('hides the message of an unexpected error and logs it redacted', async () => {
    const { ipcMain, sink } = setup(() => {
      throw new Error('connect failed for postgres://reader:hunter2hunter2@db/x');
    });
    const reply = await ipcMain.invoke(APP_FRAME_EVENT, 'relay:stats');
    expect(reply).toEqual({ ok: false, error: { error: 'the relay hit an unexpected error; it has been logged', code: 'internal_error' } });
    const logged = JSON.stringify(sink.records);
    expect(logged).toContain('unexpected error in ipc operation');
    expect(logged).not.toContain('hunter2hunter2');
  });

  it('removes every handler it registered', () => {
    const { ipcMain, unregister } = setup();
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });
});
