// The CDR database password gets the client secret's treatment headless: a
// password on the command line is warned about (it shows in `ps` and
// /proc/<pid>/cmdline), a config file others can read that holds one is
// refused, and RELAY_CDR_DB_PASSWORD supplies it from the environment.
import { describe, expect, it } from 'vitest';
import { loadConfig, type LoadConfigInput } from '../../../relay/config/load-config.js';

function files(map: Record<string, { text: string; mode: number }>) {
  return {
    readFile: (p: string) => {
      const f = map[p];
      if (!f) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return f.text;
    },
    mode: (p: string) => map[p]!.mode,
  };
}
const base = (over: Partial<LoadConfigInput> = {}): LoadConfigInput => ({
  argv: [], env: {}, version: '1.2.3', platform: 'linux', home: '/home/u', cwd: '/work', ...over,
});
const cdrUrl = (config: { cdr?: unknown }) => (config.cdr as { url: string }).url;

describe('the CDR database password headless', () => {
  it('warns when --cdr-db carries a password, and points to RELAY_CDR_DB_PASSWORD', () => {
    const { warnings, config } = loadConfig(base({ argv: ['--cdr-db', 'postgres://reader:hunter22@db.example.com:5480/database_single'] }));
    expect(warnings.join('\n')).toMatch(/--cdr-db carries a password.*\/proc\/<pid>\/cmdline.*RELAY_CDR_DB_PASSWORD/);
    expect(cdrUrl(config)).toBe('postgres://reader:hunter22@db.example.com:5480/database_single');
  });

  it('does not warn for a URL without a password, nor for the same URL from the environment', () => {
    expect(loadConfig(base({ argv: ['--cdr-db', 'postgres://reader@db.example.com/x'] })).warnings).toEqual([]);
    expect(loadConfig(base({ env: { RELAY_CDR_DB_URL: 'postgres://reader:hunter22@db.example.com/x' } })).warnings).toEqual([]);
  });

  it('reads RELAY_CDR_DB_PASSWORD into the database URL, encoded', () => {
    const { config, warnings } = loadConfig(base({
      argv: ['--cdr-db', 'postgres://reader@db.example.com:5480/database_single'],
      env: { RELAY_CDR_DB_PASSWORD: 'p@ss w&rd:/#' },
    }));
    expect(warnings).toEqual([]);
    const u = new URL(cdrUrl(config));
    expect(u.username).toBe('reader');
    expect(decodeURIComponent(u.password)).toBe('p@ss w&rd:/#');
    expect(u.host).toBe('db.example.com:5480');
    expect(u.pathname).toBe('/database_single');
  });

  it('says when RELAY_CDR_DB_PASSWORD cannot be used, and when it replaces a password in the URL', () => {
    const noUser = loadConfig(base({ argv: ['--cdr-db', 'postgres://db.example.com/x'], env: { RELAY_CDR_DB_PASSWORD: 'hunter22' } }));
    expect(noUser.warnings.join('\n')).toMatch(/names no user/);
    const noCdr = loadConfig(base({ env: { RELAY_CDR_DB_PASSWORD: 'hunter22' } }));
    expect(noCdr.warnings.join('\n')).toMatch(/no --cdr-db is given/);
    const both = loadConfig(base({ env: { RELAY_CDR_DB_URL: 'postgres://r:old-pass@db/x', RELAY_CDR_DB_PASSWORD: 'new-pass' } }));
    expect(both.warnings.join('\n')).toMatch(/replaces the password/);
    expect(new URL(cdrUrl(both.config)).password).toBe('new-pass');
  });

  it('refuses a config file that others can read when it holds a database password, naming the fix', () => {
    const text = JSON.stringify({ cdrDb: 'postgres://reader:hunter22@db.example.com/x' });
    for (const mode of [0o644, 0o640, 0o604]) {
      expect(() => loadConfig(base({ argv: ['--config', '/c.json'], files: files({ '/c.json': { text, mode } }) })))
        .toThrow(/holds a password in "cdrDb" but other users can read it .*chmod 600 \/c\.json.*RELAY_CDR_DB_PASSWORD/);
    }
    const ok = loadConfig(base({ argv: ['--config', '/c.json'], files: files({ '/c.json': { text, mode: 0o600 } }) }));
    expect(cdrUrl(ok.config)).toBe('postgres://reader:hunter22@db.example.com/x');
  });

  it('refuses the same for cdrDbUrl and storeUrl, and accepts a loose file without any secret', () => {
    const run = (body: object, mode: number) =>
      () => loadConfig(base({ argv: ['--config', '/c.json'], files: files({ '/c.json': { text: JSON.stringify(body), mode } }) }));
    expect(run({ cdrDbUrl: 'postgres://reader:hunter22@db/x' }, 0o644)).toThrow(/"cdrDbUrl"/);
    expect(run({ storeUrl: 'postgres://relay:hunter22@db/relay' }, 0o644)).toThrow(/"storeUrl"/);
    expect(run({ cdrDb: 'postgres://reader@db/x', storeUrl: 'postgres://relay@db/relay', port: 9000 }, 0o644)).not.toThrow();
  });
});
