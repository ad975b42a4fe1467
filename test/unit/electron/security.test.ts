import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_SCHEME_PRIVILEGES, APP_START_URL, createAppProtocolHandler } from '../../../electron/security/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../../electron/security/content-security-policy.js';
import { installNavigationGuards, isSafeExternalUrl, type GuardedContents } from '../../../electron/security/navigation-guard.js';
import { denyAllPermissions } from '../../../electron/security/permissions.js';
import { isAllowedRendererRequest } from '../../../electron/security/request-filter.js';

describe('app:// protocol', () => {
  let root: string;
  let outside: string;
  let handler: (r: Request) => Promise<Response>;

  beforeAll(async () => {
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'app-protocol-'));
    root = path.join(base, 'dist');
    outside = path.join(base, 'secret.txt');
    await fs.mkdir(path.join(root, 'assets', 'v1.2'), { recursive: true });
    await fs.writeFile(path.join(root, 'index.html'), '<!doctype html><title>relay</title>');
    await fs.writeFile(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    await fs.writeFile(path.join(root, 'assets', 'app.css'), 'body{}');
    await fs.writeFile(outside, 'not for the renderer');
    await fs.symlink(outside, path.join(root, 'assets', 'link.txt'));
    handler = createAppProtocolHandler({ rootDir: root });
  });
  afterAll(async () => {
    await fs.rm(path.dirname(root), { recursive: true, force: true });
  });

  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  it('registers app:// as a standard, secure scheme', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
    expect(APP_START_URL).toBe('app://relay/index.html');
  });

  it('serves the start page with the strict CSP and the right type', async () => {
    const res = await get(APP_START_URL);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.text()).toContain('<title>relay</title>');
  });

  it('serves assets with their content types', async () => {
    expect((await get('app://relay/assets/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://relay/assets/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers client-side routes with index.html', async () => {
    for (const route of ['app://relay/', 'app://relay/errors', 'app://relay/settings/keys']) {
      expect(await (await get(route)).text(), route).toContain('<title>relay</title>');
    }
  });

  it.each([
    ['a missing asset', 'app://relay/assets/missing.js'],
    ['an encoded path traversal', 'app://relay/%2e%2e/secret.txt'],
    ['a double-encoded traversal', 'app://relay/assets/%2e%2e%2f%2e%2e%2fsecret.txt'],
    ['a symlink leading outside the folder', 'app://relay/assets/link.txt'],
    ['another host', 'app://other/index.html'],
    ['a directory', 'app://relay/assets/v1.2'],
  ])('404 for %s', async (_name, url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('not for the renderer');
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get(APP_START_URL, 'POST')).status).toBe(405);
    const head = await get(APP_START_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('the CSP allows no inline or remote script, no eval and no framing', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)|https?:|\*/);
  });
});

describe('navigation guards', () => {
  function fakeContents() {
    const listeners = new Map<string, (e: { preventDefault(): void; url: string }) => void>();
    let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
    const contents: GuardedContents = {
      on: ((event: string, l: (e: { preventDefault(): void; url: string }) => void) => listeners.set(event, l)) as GuardedContents['on'],
      setWindowOpenHandler: (h) => void (openHandler = h),
    };
    const navigate = (event: string, url: string) => {
      let prevented = false;
      listeners.get(event)!({ url, preventDefault: () => void (prevented = true) });
      return prevented;
    };
    return { contents, navigate, open: (url: string) => openHandler!({ url }) };
  }

  it('keeps the window on app:// and sends safe https links to the browser', () => {
    const opened: string[] = [];
    const blocked: string[] = [];
    const f = fakeContents();
    installNavigationGuards(f.contents, { origin: APP_ORIGIN, openExternal: (u) => opened.push(u), onBlocked: (w, u) => blocked.push(`${w} ${u}`) });

    expect(f.navigate('will-navigate', 'app://relay/index.html')).toBe(false);
    expect(f.navigate('will-navigate', 'https://docs.example.com/help')).toBe(true);
    expect(f.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(f.navigate('will-redirect', 'http://evil.example/')).toBe(true);
    expect(f.navigate('will-attach-webview', '')).toBe(true);
    expect(f.open('https://www.3cx.com/docs/')).toEqual({ action: 'deny' });
    expect(f.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://docs.example.com/help', 'https://www.3cx.com/docs/']);
    expect(blocked).toContain('window.open javascript:alert(1)');
  });

  it.each([
    ['https://example.com/x', true],
    ['http://example.com/x', false],
    ['https://user:pw@example.com/', false],
    ['file:///C:/Windows/system32/calc.exe', false],
    ['smb://share/x', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('isSafeExternalUrl(%s) = %s', (url, expected) => {
    expect(isSafeExternalUrl(url)).toBe(expected);
  });
});

describe('session hardening', () => {
  it('denies every permission request and check', () => {
    let request: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
    let check: ((wc: unknown, permission: string) => boolean) | null = null;
    const denied: string[] = [];
    denyAllPermissions({ setPermissionRequestHandler: (h) => void (request = h), setPermissionCheckHandler: (h) => void (check = h) }, (p) => denied.push(p));
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read']) request!({}, p, (g) => answers.push(g));
    expect(answers).toEqual([false, false, false, false]);
    expect(check!({}, 'media')).toBe(false);
    expect(denied).toEqual(['media', 'geolocation', 'notifications', 'clipboard-read']);
  });

  it.each([
    ['app://relay/assets/app.js', true],
    ['data:image/png;base64,AAAA', true],
    ['devtools://devtools/bundled/inspector.html', true],
    ['http://127.0.0.1:8082/relay/health', false],
    ['https://cdn.example.com/lib.js', false],
    ['ws://127.0.0.1:8082/relay/ws', false],
    ['file:///etc/passwd', false],
    ['app://other/x', false],
  ])('renderer request %s allowed: %s', (url, expected) => {
    expect(isAllowedRendererRequest(url, APP_ORIGIN)).toBe(expected);
  });
});
