// Listening beyond loopback (contract §7): the settings that allow it, the
// one-line refusals when something is missing, bad TLS files named clearly,
// and the contract's flag names beside their older aliases, from flag, env
// and config file alike.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../../relay/config/config-sources.js';
import { ConfigError, HELP_TEXT, loadConfig, type LoadConfigInput } from '../../../relay/config/load-config.js';
import { exposureProblem } from '../../../relay/http/security/listen-security.js';
import { makeSelfSignedCert, type TestCert } from '../../support/self-signed-cert.js';

let cert: TestCert;
let other: TestCert;
beforeAll(() => {
  cert = makeSelfSignedCert();
  other = makeSelfSignedCert();
});
afterAll(() => {
  cert.remove();
  other.remove();
});

type FileMap = Record<string, { text: string; mode?: number }>;
function files(map: FileMap) {
  return {
    readFile: (p: string) => {
      const f = map[p];
      if (!f) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return f.text;
    },
    mode: (p: string) => map[p]?.mode ?? 0o600,
  };
}
const base = (over: Partial<LoadConfigInput> = {}): LoadConfigInput => ({
  argv: [], env: {}, version: '1.2.3', platform: 'linux', home: '/home/u', cwd: '/work', now: new Date(), ...over,
});
const pem = () => ({
  '/work/tls/cert.pem': { text: fs.readFileSync(cert.certFile, 'utf8') },
  '/work/tls/key.pem': { text: fs.readFileSync(cert.keyFile, 'utf8') },
});
const tlsFlags = ['--tls-cert', 'tls/cert.pem', '--tls-key', 'tls/key.pem'];
const lists = ['--allow-host', 'relay.example.com', '--allow-origin', 'https://relay.example.com'];
const refusal = (input: LoadConfigInput): string => {
  try {
    loadConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('loadConfig accepted the settings');
};

describe('listening beyond loopback', () => {
  it('refuses a non-loopback host without TLS, naming every missing piece and its flag on one line', () => {
    const msg = refusal(base({ argv: ['--host', '0.0.0.0'] }));
    expect(msg).not.toContain('\n');
    expect(msg).toMatch(/^refusing to listen on 0\.0\.0\.0, which is not a loopback address, without TLS/);
    expect(msg).toContain('--tls-cert FILE --tls-key FILE');
    expect(msg).toContain('--trust-proxy');
    expect(msg).toContain('--allow-host NAME');
    expect(msg).toContain('--allow-origin https://NAME');
  });

  it('refuses with allow-lists but no TLS, and with TLS but no allow-lists', () => {
    const noTls = refusal(base({ argv: ['--host', '192.0.2.7', ...lists] }));
    expect(noTls).toMatch(/without TLS \(--tls-cert FILE --tls-key FILE, or --trust-proxy/);
    expect(noTls).not.toContain('allow-list');
    const noLists = refusal(base({ argv: ['--host', '0.0.0.0', ...tlsFlags], files: files(pem()) }));
    expect(noLists).not.toMatch(/without TLS/);
    expect(noLists).toMatch(/a Host allow-list \(--allow-host NAME, repeatable\) and an Origin allow-list/);
    const noOrigins = refusal(base({ argv: ['--host', '0.0.0.0', '--trust-proxy', '--allow-host', 'relay.example.com'] }));
    expect(noOrigins).toMatch(/without an Origin allow-list/);
  });

  it('accepts TLS with both allow-lists, reads the files relative to the working directory, and describes the exposure', () => {
    const loaded = loadConfig(base({ argv: ['--host', '0.0.0.0', ...tlsFlags, ...lists], files: files(pem()) }));
    expect(loaded.config.security?.tls?.cert).toContain('BEGIN CERTIFICATE');
    expect(loaded.config.security?.tls?.key).toContain('PRIVATE KEY');
    expect(loaded.config.security?.trustProxy).toBeUndefined();
    expect(loaded.exposure).toMatch(/^relay exposure: TLS \(certificate CN=localhost, valid until \d{4}-\d\d-\d\d\); hosts: relay\.example\.com; origins: https:\/\/relay\.example\.com$/);
    expect(loaded.warnings).toEqual([expect.stringMatching(/not a loopback address/)]);
  });

  it('accepts --trust-proxy with loopback as the default proxy, or the addresses given', () => {
    const dflt = loadConfig(base({ argv: ['--host', '0.0.0.0', '--trust-proxy', ...lists] }));
    expect(dflt.config.security).toEqual({ trustProxy: { proxies: ['loopback'] } });
    expect(dflt.exposure).toContain('behind a reverse proxy that terminates TLS (X-Forwarded-Proto and X-Forwarded-Host believed only from loopback)');
    const named = loadConfig(base({ argv: ['--host', '0.0.0.0', '--trust-proxy', '--proxy-address', '10.0.0.5', '--proxy-address', '::ffff:10.0.0.6', ...lists] }));
    expect(named.config.security?.trustProxy?.proxies).toEqual(['10.0.0.5', '::ffff:10.0.0.6']);
    expect(() => loadConfig(base({ argv: ['--trust-proxy', '--proxy-address', 'proxy.lan'] }))).toThrow(/--proxy-address: "proxy\.lan" is not an IP address/);
    expect(() => loadConfig(base({ argv: ['--proxy-address', '10.0.0.5'] }))).toThrow(/--proxy-address: .*add --trust-proxy/);
  });

  it('keeps loopback the quiet default: no security, no exposure line', () => {
    const loaded = loadConfig(base());
    expect(loaded.config.security).toBeUndefined();
    expect(loaded.exposure).toBeNull();
    expect(loadConfig(base({ argv: ['--host', 'localhost'] })).exposure).toBeNull();
    // TLS on loopback is allowed and said.
    expect(loadConfig(base({ argv: tlsFlags, files: files(pem()) })).exposure).toMatch(/^relay exposure: TLS/);
  });

  it('takes each setting from env and the config file too, flag beating env beating file', () => {
    const viaEnv = loadConfig(base({
      env: { RELAY_HOST: '0.0.0.0', RELAY_TLS_CERT: 'tls/cert.pem', RELAY_TLS_KEY: 'tls/key.pem', RELAY_ALLOW_HOSTS: 'a.example, b.example', RELAY_ALLOW_ORIGINS: 'https://a.example' },
      files: files(pem()),
    }));
    expect(viaEnv.config).toMatchObject({ allowedHostNames: ['a.example', 'b.example'], allowedOrigins: ['https://a.example'] });
    expect(viaEnv.config.security?.tls).toBeDefined();

    const proxyEnv = loadConfig(base({ env: { RELAY_HOST: '0.0.0.0', RELAY_TRUST_PROXY: 'true', RELAY_PROXY_ADDRESSES: '10.0.0.5,10.0.0.6', RELAY_ALLOW_HOSTS: 'a.example', RELAY_ALLOW_ORIGINS: 'https://a.example' } }));
    expect(proxyEnv.config.security?.trustProxy?.proxies).toEqual(['10.0.0.5', '10.0.0.6']);

    // Paths in a config file are relative to the file.
    const f = files({
      ...pem(),
      '/etc/relay/relay.json': { text: JSON.stringify({ host: '0.0.0.0', tlsCert: '/work/tls/cert.pem', tlsKey: '../../work/tls/key.pem', allowHosts: ['file.example'], allowOrigins: ['https://file.example'] }) },
      '/etc/relay/proxy.json': { text: JSON.stringify({ host: '0.0.0.0', trustProxy: true, proxyAddresses: ['10.1.1.1'], allowHosts: ['file.example'], allowOrigins: ['https://file.example'] }) },
    });
    const fromFile = loadConfig(base({ argv: ['--config', '/etc/relay/relay.json'], files: f }));
    expect(fromFile.config).toMatchObject({ host: '0.0.0.0', allowedHostNames: ['file.example'], allowedOrigins: ['https://file.example'] });
    expect(fromFile.config.security?.tls).toBeDefined();
    expect(loadConfig(base({ argv: ['--config', '/etc/relay/proxy.json'], files: f })).config.security?.trustProxy?.proxies).toEqual(['10.1.1.1']);

    const layered = loadConfig(base({
      argv: ['--config', '/etc/relay/relay.json', '--allow-host', 'flag.example'],
      env: { RELAY_ALLOW_HOSTS: 'env.example', RELAY_ALLOW_ORIGINS: 'https://env.example' },
      files: f,
    }));
    expect(layered.config.allowedHostNames).toEqual(['flag.example']);
    expect(layered.config.allowedOrigins).toEqual(['https://env.example']);
  });

  it('keeps the older names as aliases: --allowed-host/--allowed-origin, their env and file keys, merged with the new ones', () => {
    const flags = loadConfig(base({ argv: ['--allowed-host', 'old.example', '--allow-host', 'new.example', '--allowed-origin', 'https://old.example'] }));
    expect(flags.config.allowedHostNames).toEqual(['new.example', 'old.example']);
    expect(flags.config.allowedOrigins).toEqual(['https://old.example']);
    const env = loadConfig(base({ env: { RELAY_ALLOWED_HOSTS: 'old.example', RELAY_ALLOW_HOSTS: 'new.example', RELAY_ALLOWED_ORIGINS: 'https://old.example' } }));
    expect(env.config.allowedHostNames).toEqual(['new.example', 'old.example']);
    expect(env.config.allowedOrigins).toEqual(['https://old.example']);
    const f = files({ '/work/c.json': { text: JSON.stringify({ allowedHostNames: ['old.example'], allowHosts: ['new.example'], allowedOrigins: ['https://old.example'] }) } });
    const file = loadConfig(base({ argv: ['--config', 'c.json'], files: f }));
    expect(file.config.allowedHostNames).toEqual(['new.example', 'old.example']);
    // The old names satisfy the exposure rule as well.
    expect(() => loadConfig(base({ argv: ['--host', '0.0.0.0', '--trust-proxy', '--allowed-host', 'a.example', '--allowed-origin', 'https://a.example'] }))).not.toThrow();
    // The file's schema (zod) checks the new keys' types like the others.
    const typed = files({ '/work/t.json': { text: JSON.stringify({ trustProxy: 'yes' }) } });
    expect(() => loadConfig(base({ argv: ['--config', 't.json'], files: typed }))).toThrow(/the config file \/work\/t\.json, key "trustProxy": .*boolean/);
    const hosts = files({ '/work/h.json': { text: JSON.stringify({ allowHosts: 'a.example' }) } });
    expect(() => loadConfig(base({ argv: ['--config', 'h.json'], files: hosts }))).toThrow(/key "allowHosts": .*array/);
    // A bad value names the contract's flag.
    expect(() => loadConfig(base({ argv: ['--allow-origin', 'https://x.example/path'] }))).toThrow(/--allow-origin: "https:\/\/x\.example\/path" is not an origin/);
  });
});

describe('--help', () => {
  it('names every flag and variable, the exposure ones and the older aliases included', () => {
    for (const { flag, env } of Object.values(SETTING_NAMES)) {
      if (flag) expect(HELP_TEXT).toContain(flag);
      if (env) expect(HELP_TEXT).toContain(env);
    }
    for (const alias of ['--allowed-origin', '--allowed-host', 'RELAY_ALLOWED_ORIGINS', 'RELAY_ALLOWED_HOSTS']) expect(HELP_TEXT).toContain(alias);
  });
});

describe('TLS files', () => {
  const withTls = (map: FileMap, argv = tlsFlags) => refusal(base({ argv: [...argv, ...lists, '--host', '0.0.0.0'], files: files(map) }));

  it('refuses a missing or unreadable file, naming the flag and the path', () => {
    expect(withTls({ '/work/tls/key.pem': pem()['/work/tls/key.pem'] })).toBe('--tls-cert: cannot read /work/tls/cert.pem: no such file');
    const unreadable = {
      readFile: (p: string) => {
        if (p.endsWith('key.pem')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        return pem()['/work/tls/cert.pem'].text;
      },
      mode: () => 0o600,
    };
    expect(() => loadConfig(base({ argv: [...tlsFlags, ...lists, '--host', '0.0.0.0'], files: unreadable }))).toThrow('--tls-key: cannot read /work/tls/key.pem: permission denied');
  });

  it('refuses a file that is not PEM, or PEM that holds no certificate or key', () => {
    expect(withTls({ ...pem(), '/work/tls/cert.pem': { text: 'hello' } })).toMatch(/^--tls-cert: \/work\/tls\/cert\.pem is not a PEM certificate/);
    expect(withTls({ ...pem(), '/work/tls/key.pem': { text: 'hello' } })).toMatch(/^--tls-key: \/work\/tls\/key\.pem is not a PEM private key/);
    // Cert and key swapped.
    expect(withTls(pem(), ['--tls-cert', 'tls/key.pem', '--tls-key', 'tls/cert.pem'])).toMatch(/^--tls-cert: \/work\/tls\/key\.pem holds no readable X\.509 certificate/);
    expect(withTls({ ...pem(), '/work/tls/key.pem': { text: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' } })).toMatch(/^--tls-key: .* holds no readable private key/);
  });

  it('refuses a key that does not belong to the certificate', () => {
    const map = { ...pem(), '/work/tls/key.pem': { text: fs.readFileSync(other.keyFile, 'utf8') } };
    expect(withTls(map)).toBe('--tls-key: /work/tls/key.pem is not the private key of the certificate in /work/tls/cert.pem');
  });

  it('needs both files, and names the source of a bad one (env, config file)', () => {
    expect(refusal(base({ argv: ['--tls-cert', 'tls/cert.pem'], files: files(pem()) }))).toMatch(/^--tls-cert: is set without --tls-key FILE/);
    expect(refusal(base({ env: { RELAY_TLS_KEY: 'tls/key.pem' }, files: files(pem()) }))).toMatch(/^RELAY_TLS_KEY: is set without --tls-cert FILE/);
    expect(refusal(base({ env: { RELAY_TLS_CERT: 'nope.pem', RELAY_TLS_KEY: 'tls/key.pem' }, files: files(pem()) }))).toMatch(/^RELAY_TLS_CERT: cannot read \/work\/nope\.pem/);
    const f = files({ ...pem(), '/work/c.json': { text: JSON.stringify({ tlsCert: 'gone.pem', tlsKey: 'tls/key.pem' }) } });
    expect(refusal(base({ argv: ['--config', 'c.json'], files: f }))).toMatch(/^"tlsCert" in c\.json: cannot read \/work\/gone\.pem/);
  });

  it('warns about an expired certificate and a key other users can read', () => {
    const later = new Date(Date.now() + 3 * 86_400_000);
    const loaded = loadConfig(base({ argv: tlsFlags, files: files({ ...pem(), '/work/tls/key.pem': { ...pem()['/work/tls/key.pem'], mode: 0o644 } }), now: later }));
    expect(loaded.warnings).toEqual([
      expect.stringMatching(/TLS certificate in \/work\/tls\/cert\.pem expired on/),
      expect.stringMatching(/TLS key \/work\/tls\/key\.pem can be read by other users \(mode 644\); run `chmod 600/),
    ]);
  });
});

describe('exposureProblem (the server applies it too)', () => {
  it('lets loopback through and stops anything else that lacks a piece', () => {
    const lists2 = { allowedHostNames: ['a'], allowedOrigins: ['https://a'] };
    expect(exposureProblem({ host: '127.0.0.1', allowedHostNames: [], allowedOrigins: [] })).toBeNull();
    expect(exposureProblem({ host: '::1', allowedHostNames: [], allowedOrigins: [] })).toBeNull();
    expect(exposureProblem({ host: '0.0.0.0', ...lists2 })).toMatch(/without TLS/);
    expect(exposureProblem({ host: '0.0.0.0', security: { trustProxy: { proxies: [] } }, ...lists2 })).toBeNull();
    expect(exposureProblem({ host: '::', security: { tls: { cert: 'c', key: 'k' } }, allowedHostNames: ['a'], allowedOrigins: [] })).toMatch(/without an Origin allow-list/);
  });
});
