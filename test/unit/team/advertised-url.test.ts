// A member announces the URL followers forward leader-only requests to: a
// wildcard bind must not announce 0.0.0.0, which on another machine is itself.
import { describe, expect, it } from 'vitest';
import { advertisedUrl } from '../../../relay/team/advertised-url.js';
import { loadConfig, type LoadConfigInput } from '../../../relay/config/load-config.js';

const base = (argv: string[]): LoadConfigInput => ({ argv, env: {}, version: '1.0.0', platform: 'linux', home: '/home/u', cwd: '/work' });

describe('advertisedUrl', () => {
  it('is the listening URL on a concrete address', () => {
    expect(advertisedUrl('http://127.0.0.1:8082', { allowedHostNames: [] })).toBe('http://127.0.0.1:8082');
    expect(advertisedUrl('https://10.0.0.5:8443', { allowedHostNames: ['relay1.example.com'] })).toBe('https://10.0.0.5:8443');
  });

  it('names the first allowed host on a wildcard address, keeping scheme and port', () => {
    expect(advertisedUrl('https://0.0.0.0:8443', { allowedHostNames: ['relay1.example.com', 'relay1'] })).toBe('https://relay1.example.com:8443');
    expect(advertisedUrl('https://[::]:8443', { allowedHostNames: ['relay1.example.com'] })).toBe('https://relay1.example.com:8443');
  });

  it('takes --advertise-url as given', () => {
    expect(advertisedUrl('https://0.0.0.0:8443', { advertiseUrl: 'https://relays.example.com', allowedHostNames: ['a'] })).toBe('https://relays.example.com');
  });
});

describe('--advertise-url', () => {
  it('reaches the config as an origin', () => {
    expect(loadConfig(base(['--advertise-url', 'https://relay1.example.com:8443/'])).config.advertiseUrl).toBe('https://relay1.example.com:8443');
    expect(loadConfig({ ...base([]), env: { RELAY_ADVERTISE_URL: 'http://127.0.0.1:9000' } }).config.advertiseUrl).toBe('http://127.0.0.1:9000');
  });

  it('refuses plain http off loopback: followers send credentials to it', () => {
    expect(() => loadConfig(base(['--advertise-url', 'http://relay1.example.com:8082']))).toThrow(/--advertise-url: .*must be https/);
  });

  it('refuses what is not a bare origin', () => {
    expect(() => loadConfig(base(['--advertise-url', 'relay1']))).toThrow(/--advertise-url: .*not a URL/);
    expect(() => loadConfig(base(['--advertise-url', 'https://u:p@relay1.example.com']))).toThrow(/only scheme, host and port/);
    expect(() => loadConfig(base(['--advertise-url', 'https://relay1.example.com/relay']))).toThrow(/only scheme, host and port/);
  });
});
