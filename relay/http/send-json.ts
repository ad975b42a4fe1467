// Every JSON answer of the relay (integration and admin API, errors) goes out
// here rather than through express's res.json, which re-parses the
// Content-Type to add a charset and turns a body over 1 kB into a Buffer, so
// headers and body leave in two chunks. One string through res.end is one
// socket write, and Node still sets Content-Length and drops the body for HEAD.
import type { Response } from 'express';

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(res: Response, body: unknown, status = 200): void {
  res.statusCode = status;
  res.setHeader('Content-Type', JSON_TYPE);
  res.end(JSON.stringify(body));
}
