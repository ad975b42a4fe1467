import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../../relay/config/app-data-dir.js';
import { ConfigError, loadConfig, type LoadConfigInput } from '../../../relay/config/load-config.js';

function files(map: Record<string, { text: string; mode?: number }>) {
  return {
    readFile: (p: string) => {
      const f = map[p];
      if (!f) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return f.text;
    },
    mode: (p: string) => map[p]?.mode ?? 0o644,
  };
}
const base = (over: Partial<LoadConfigInput> = {}): LoadConfigInput => ({
  argv: [], env: {}, version: '1.2.3', platform: 'linux', home: '/home/u', cwd: '/work', ...over,
});

describe('loadConfig', () => {
  it('uses the contract defaults', () => {
    const { config, warnings } = loadConfig(base());
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8082, dataDir: '/home/u/.config/3cx-relay-companion', demo: false, version: '1.2.3' });
    expect(config.pbx).toBeUndefined();
    expect(config.cdr).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('flag beats env beats file beats default', () => {
    const f = files({ '/work/c.json': { text: JSON.stringify({ port: 1111, host: '127.0.0.2', dataDir: 'data', clientId: 'fileid' }) } });
    const onlyFile = loadConfig(base({ argv: ['--config', 'c.json'], files: f }));
    expect(onlyFile.config).toMatchObject({ port: 1111, host: '127.0.0.2', dataDir: '/work/data' });
    const envToo = loadConfig(base({ argv: ['--config', 'c.json'], env: { RELAY_PORT: '2222' }, files: f }));
    expect(envToo.config.port).toBe(2222);
    const flagToo = loadConfig(base({ argv: ['--config', 'c.json', '--port', '3333'], env: { RELAY_PORT: '2222' }, files: f }));
    expect(flagToo.config.port).toBe(3333);
    const viaEnvConfig = loadConfig(base({ env: { RELAY_CONFIG: '/work/c.json' }, files: f }));
    expect(viaEnvConfig.config.port).toBe(1111);
  });

  it('accepts port 0 and rejects a non-port, naming the source', () => {
    expect(loadConfig(base({ argv: ['--port', '0'] })).config.port).toBe(0);
    expect(() => loadConfig(base({ argv: ['--port', 'abc'] }))).toThrow(/--port: "abc" is not a port/);
    expect(() => loadConfig(base({ env: { RELAY_PORT: '70000' } }))).toThrow(/RELAY_PORT: "70000"/);
  });

  it('warns for a non-loopback host', () => {
    const exposed = ['--host', '0.0.0.0', '--trust-proxy', '--allow-host', 'relay.example.com', '--allow-origin', 'https://relay.example.com'];
    expect(loadConfig(base({ argv: exposed })).warnings[0]).toMatch(/not a loopback address/);
    expect(loadConfig(base({ argv: ['--host', '::1'] })).warnings).toEqual([]);
  });

  it('builds the PBX config only with url, id and env secret; http only for loopback', () => {
    const env = { RELAY_PBX_CLIENT_SECRET: 's3cr3t-value' };
    const ok = loadConfig(base({ argv: ['--pbx-url', 'https://pbx.example.com/', '--client-id', 'relay'], env }));
    expect(ok.config.pbx).toEqual({ baseUrl: 'https://pbx.example.com', clientId: 'relay', clientSecret: 's3cr3t-value' });
    expect(loadConfig(base({ argv: ['--pbx-url', 'http://127.0.0.1:5001', '--client-id', 'x'], env })).config.pbx?.baseUrl).toBe('http://127.0.0.1:5001');
    expect(() => loadConfig(base({ argv: ['--pbx-url', 'http://pbx.example.com', '--client-id', 'x'], env }))).toThrow(/only for a loopback/);
    const noSecret = loadConfig(base({ argv: ['--pbx-url', 'https://pbx.example.com', '--client-id', 'x'] }));
    expect(noSecret.config.pbx).toBeUndefined();
    expect(noSecret.warnings.join()).toMatch(/RELAY_PBX_CLIENT_SECRET is missing/);
  });

  it('refuses a secret on the command line', () => {
    expect(() => loadConfig(base({ argv: ['--client-secret', 'x'] }))).toThrow(/RELAY_PBX_CLIENT_SECRET environment variable/);
    expect(() => loadConfig(base({ argv: ['--client-secret=x'] }))).toThrow(ConfigError);
    expect(() => loadConfig(base({ argv: ['--nonsense'] }))).toThrow(/--help/);
  });

  it('accepts a client secret in a config file only when the file is private', () => {
    const text = JSON.stringify({ pbxUrl: 'https://p.example.com', clientId: 'a', clientSecret: 'file-secret' });
    expect(() => loadConfig(base({ argv: ['--config', '/c.json'], files: files({ '/c.json': { text, mode: 0o644 } }) }))).toThrow(/chmod 600/);
    const ok = loadConfig(base({ argv: ['--config', '/c.json'], files: files({ '/c.json': { text, mode: 0o600 } }) }));
    expect(ok.config.pbx?.clientSecret).toBe('file-secret');
  });

  it('explains a bad config file', () => {
    expect(() => loadConfig(base({ argv: ['--config', '/x.json'], files: files({}) }))).toThrow(/cannot read the config file \/x.json: ENOENT/);
    expect(() => loadConfig(base({ argv: ['--config', '/x.json'], files: files({ '/x.json': { text: '{' } }) }))).toThrow(/not valid JSON/);
    expect(() => loadConfig(base({ argv: ['--config', '/x.json'], files: files({ '/x.json': { text: '{"prot": 1}' } }) }))).toThrow(/unknown key\(s\) "prot"/);
  });

  it('reads the CDR source from a URL or an ini file, not both', () => {
    expect(loadConfig(base({ argv: ['--cdr-db', 'postgres://u:p@127.0.0.1:5480/db'] })).config.cdr).toEqual({ url: 'postgres://u:p@127.0.0.1:5480/db' });
    expect(loadConfig(base({ env: { RELAY_PBX_INI: 'x.ini', RELAY_PBX_INI_READONLY_SECTION: 'Ro' } })).config.cdr).toEqual({ iniPath: '/work/x.ini', iniSections: { readonly: 'Ro' } });
    // `default`: 3CX's own locations; section names from flags.
    expect(loadConfig(base({ argv: ['--pbx-ini', 'default', '--pbx-ini-server-section', 'Srv', '--pbx-ini-database-section', 'Qm'] })).config.cdr)
      .toEqual({ iniSections: { server: 'Srv', database: 'Qm' } });
    expect(loadConfig(base({ argv: ['--pbx-ini', 'default'] })).config.cdr).toEqual({});
    expect(() => loadConfig(base({ argv: ['--cdr-db', 'mysql://x'] }))).toThrow(/--cdr-db: must be a postgres/);
    expect(() => loadConfig(base({ argv: ['--cdr-db', 'postgres://h/db', '--pbx-ini', 'x.ini'] }))).toThrow(/not both/);
  });

  it('normalises allowed origins and host names', () => {
    const { config } = loadConfig(base({ argv: ['--allowed-origin', 'https://crm.example.com/'], env: { RELAY_ALLOWED_HOSTS: 'Relay.Local, other' } }));
    expect(config.allowedOrigins).toEqual(['https://crm.example.com']);
    expect(config.allowedHostNames).toEqual(['relay.local', 'other']);
    expect(() => loadConfig(base({ argv: ['--allowed-origin', 'https://x.com/path'] }))).toThrow(/not an origin/);
  });

  it('takes the first admin password from the environment only', () => {
    expect(loadConfig(base({ env: { RELAY_ADMIN_PASSWORD: 'correct horse' } })).config.adminPassword).toBe('correct horse');
    expect(() => loadConfig(base({ argv: ['--admin-password', 'x'] }))).toThrow(/RELAY_ADMIN_PASSWORD/);
  });
});

describe('demo mode', () => {
  it('keeps its store in a temporary folder unless one is given, and says real settings are unused', () => {
    const demo = loadConfig(base({ argv: ['--demo', '--cdr-db', 'postgres://u:p@127.0.0.1/db'] }));
    expect(demo.config.demo).toBe(true);
    expect(demo.config.dataDir).toBeUndefined();
    expect(demo.warnings.join()).toMatch(/not used/);
    expect(loadConfig(base({ argv: ['--demo', '--data-dir', 'd'] })).config.dataDir).toBe('/work/d');
  });
});

describe('defaultDataDir', () => {
  it('follows each OS convention', () => {
    expect(defaultDataDir('linux', {}, '/home/u')).toBe('/home/u/.config/3cx-relay-companion');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x/3cx-relay-companion');
    expect(defaultDataDir('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/3cx-relay-companion');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\3cx-relay-companion');
  });
});
