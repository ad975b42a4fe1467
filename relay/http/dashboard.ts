// The built dashboard at `/`: static files with a strict CSP and nosniff,
// and the SPA fallback (any other GET that wants HTML gets index.html, so
// client-side routes survive a reload). API paths never fall through to it.
// Source maps are never served, even if a build left some behind: they
// would hand out the source to anyone who can reach the port.
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { RelayError } from '../core/relay-error.js';

const API_PATH = /^\/(relay|admin)(\/|$)/;
const SOURCE_MAP = /\.map$/i;

export function dashboardCsp(hostHeader: string | undefined): string {
  // The Host header was already checked by the request policy; the page's
  // WebSocket goes back to the same host:port it was loaded from.
  const ws = hostHeader ? ` ws://${hostHeader}` : '';
  return [
    "default-src 'self'",
    `connect-src 'self'${ws}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

export function dashboardRoutes(dir: string): RequestHandler[] {
  const index = path.join(dir, 'index.html');
  const headers: RequestHandler = (req, res, next) => {
    res.setHeader('Content-Security-Policy', dashboardCsp(req.headers.host));
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (SOURCE_MAP.test(req.path)) return next(RelayError.notFound('source maps are not served'));
    next();
  };
  const serve = express.static(dir, { index: 'index.html', fallthrough: true, redirect: false });
  const spaFallback: RequestHandler = (req, res, next) => {
    // Only page navigations (a browser asks for text/html, no file extension):
    // a missing script or image stays a 404 instead of HTML the browser chokes on.
    const wantsPage = (req.headers.accept ?? '').includes('text/html') && !/\.[A-Za-z0-9]+$/.test(req.path);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATH.test(req.path) || !wantsPage || !fs.existsSync(index)) {
      return next();
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
  return [headers, serve, spaFallback];
}
