import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../relay/config/load-config.js';
import { desktopSettingsInput } from '../../../relay/contract/ipc-schemas.js';
import { isLoopbackHost } from '../../../relay/contract/loopback.js';
import { normalizePbxBaseUrl } from '../../../relay/pbx/pbx-config.js';

const cliAccepts = (url: string): boolean => {
  try {
    loadConfig({ argv: ['--pbx-url', url, '--client-id', 'x'], env: { RELAY_PBX_CLIENT_SECRET: 's' }, version: '1', platform: 'linux', home: '/h', cwd: '/w' });
    return true;
  } catch {
    return false;
  }
};
const relayAccepts = (url: string): boolean => {
  try {
    normalizePbxBaseUrl(url);
    return true;
  } catch {
    return false;
  }
};
const desktopAccepts = (url: string): boolean => desktopSettingsInput.safeParse({ pbxUrl: url }).success;

describe('loopback: one rule for the CLI, the relay and the desktop settings', () => {
  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.1.2.3', '127.0.0.2', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1'].every(isLoopbackHost)).toBe(true);
    expect(['128.0.0.1', 'localhost.evil.com', '10.0.0.1', '127.0.0.1.evil.com', '127.0.0.256', '127.00.0.1', '::2', ''].some(isLoopbackHost)).toBe(false);
  });

  it('agrees with node:net on every IPv4 address', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => {
      expect(isLoopbackHost(ip)).toBe(net.isIPv4(ip) && ip.startsWith('127.'));
    }));
  });

  it('a plain-http 3CX URL is accepted or refused alike by every entry point (the desktop form used to refuse 127.0.0.2)', () => {
    const urls = [
      'http://127.0.0.1:5001', 'http://127.0.0.2:5001', 'http://127.1.2.3', 'http://localhost:5001', 'http://[::1]:5001',
      'http://10.0.0.1', 'http://pbx.example.com', 'http://127.0.0.1.nip.io', 'https://pbx.example.com',
    ];
    for (const url of urls) {
      const expected = url.startsWith('https:') || isLoopbackHost(new URL(url).hostname);
      expect({ url, cli: cliAccepts(url), relay: relayAccepts(url), desktop: desktopAccepts(url) })
        .toEqual({ url, cli: expected, relay: expected, desktop: expected });
    }
  });
});
