// A real loopback HTTP proxy in front of the simulator that can hold chosen
// answers back: the simulator has already answered (so the body describes the
// moment of the request), and the proxy releases it when the test says so.
// That is how a slow PBX answer that completes after later ones looks to the
// relay. WebSocket upgrades are piped through untouched.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  url: string;
  /** Which request paths to hold (checked per request). */
  hold: (method: string, path: string) => boolean;
  /** Paths answered by the simulator and held, oldest first. */
  readonly held: string[];
  /** Deliver the held answers (all, or the first `n`). */
  release(n?: number): void;
  close(): Promise<void>;
}

export async function startHoldingProxy(targetUrl: string): Promise<HoldingProxy> {
  const port = Number(new URL(targetUrl).port);
  const sockets = new Set<net.Socket>();
  const waiting: Array<{ path: string; send: () => void }> = [];
  const proxy: HoldingProxy = {
    url: '',
    hold: () => false,
    get held() {
      return waiting.map((w) => w.path);
    },
    release(n = waiting.length) {
      for (const w of waiting.splice(0, n)) w.send();
    },
    async close() {
      proxy.release();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = http.createServer((req, res) => {
    const holdIt = proxy.hold(req.method ?? 'GET', req.url ?? '/');
    const up = http.request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      const send = () => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      };
      if (holdIt) waiting.push({ path: req.url ?? '/', send });
      else send();
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => {
    const up = net.connect(port, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) up.write(head);
      socket.pipe(up).pipe(socket);
    });
    sockets.add(up);
    up.on('close', () => {
      sockets.delete(up);
      socket.destroy();
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
    socket.on('close', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
