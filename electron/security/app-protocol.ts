// `app://relay/…` serves the built renderer and nothing else: only files
// under its root folder (no `..`, no symlink escape), with the CSP and a
// content type, so the window never loads a remote URL or a file:// page.
import fs from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from './content-security-policy.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'relay';
export const APP_ORIGIN = { scheme: APP_SCHEME, host: APP_HOST } as const;
export const APP_START_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * For protocol.registerSchemesAsPrivileged: a standard, secure scheme so fetch, storage and the
 * CSP behave as on https. corsEnabled lets Chromium run its CORS logic for the scheme, which Vite's
 * `<script type="module" crossorigin>` needs; the handler sends no Access-Control-Allow-Origin,
 * so no other origin can read these files.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true },
} as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * The handler for `protocol.handle('app', …)`. Paths without an extension
 * fall back to index.html so client-side routes survive a reload.
 */
export function createAppProtocolHandler(opts: { rootDir: string }): (request: Request) => Promise<Response> {
  const root = path.resolve(opts.rootDir);

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'bad url');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return textResponse(404, 'not found');

    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return textResponse(400, 'bad path');
    }
    if (rel.includes('\0')) return textResponse(400, 'bad path');
    if (rel === '/' || rel === '') rel = '/index.html';
    if (!path.extname(rel)) rel = '/index.html';

    const file = path.resolve(root, `.${rel}`);
    if (!isInside(root, file)) return textResponse(404, 'not found');
    let real: string;
    try {
      real = await fs.realpath(file);
      // A symlink inside dist must not lead outside it.
      if (!isInside(await fs.realpath(root), real)) return textResponse(404, 'not found');
      const st = await fs.stat(real);
      if (!st.isFile()) return textResponse(404, 'not found');
    } catch {
      return textResponse(404, 'not found');
    }
    const body = request.method === 'HEAD' ? null : await fs.readFile(real);
    return new Response(body, {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'Content-Type': CONTENT_TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
      },
    });
  };
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
