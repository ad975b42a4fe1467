// The relay's server has explicit timeouts: a client that sends its headers
// slowly (slowloris) is cut off after headersTimeout, not Node's 60 s; an
// idle kept-alive connection closes after keepAliveTimeout.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRelayHttpServer, SERVER_TIMEOUTS } from '../../../relay/http/http-server.js';
import type http from 'node:http';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listen(s: http.Server): Promise<number> {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as AddressInfo).port;
}

/** Opens a connection, sends `text`, resolves with what came back and how long until the server closed it. */
function exchange(port: number, text: string): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.on('close', () => resolve({ answer, closedAfterMs: performance.now() - started }));
    socket.on('error', reject);
    setTimeout(() => socket.destroy(new Error('the server kept the connection open')), 5_000).unref();
  });
}

describe('server timeouts', () => {
  it('defaults are explicit and tighter than Node\'s (60 s headers, 300 s request)', () => {
    expect(SERVER_TIMEOUTS.headersTimeoutMs).toBeLessThanOrEqual(15_000);
    expect(SERVER_TIMEOUTS.requestTimeoutMs).toBeGreaterThanOrEqual(SERVER_TIMEOUTS.headersTimeoutMs);
    expect(SERVER_TIMEOUTS.requestTimeoutMs).toBeLessThan(300_000);
    const s = createRelayHttpServer(() => undefined);
    expect([s.headersTimeout, s.requestTimeout, s.keepAliveTimeout]).toEqual([
      SERVER_TIMEOUTS.headersTimeoutMs, SERVER_TIMEOUTS.requestTimeoutMs, SERVER_TIMEOUTS.keepAliveTimeoutMs,
    ]);
  });

  it('cuts off a client that never finishes its headers, with 408', async () => {
    server = createRelayHttpServer((_req, res) => res.end('ok'), { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 200 });
    const port = await listen(server);
    const r = await exchange(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1');
    expect(r.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(r.closedAfterMs).toBeLessThan(2_000);
  });

  it('closes an idle kept-alive connection after keepAliveTimeout', async () => {
    server = createRelayHttpServer((_req, res) => res.end('ok'), { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 200 });
    const port = await listen(server);
    const r = await exchange(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(r.answer).toMatch(/^HTTP\/1\.1 200/);
    expect(r.closedAfterMs).toBeLessThan(2_000);
  });
});
