// The queue-call table's names are unconfirmed for V20 Update 7: a site whose
// update renamed a column fixes it in the config file, and a name that would
// not be a plain SQL identifier stops the relay at start, naming the key.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type LoadConfigInput } from '../../../relay/config/load-config.js';

const withFile = (json: unknown): LoadConfigInput => ({
  argv: ['--config', 'c.json'], env: {}, version: '1.0.0', platform: 'linux', home: '/home/u', cwd: '/work',
  files: { readFile: () => JSON.stringify(json), mode: () => 0o600 },
});

describe('queueCallsMapping in the config file', () => {
  it('reaches the supervisor tuning', () => {
    const { config } = loadConfig(withFile({ queueCallsMapping: { table: 'public.queue_calls', talk: 'ts_talk', durations: 'seconds' } }));
    expect(config.tuning?.supervisor?.queueCallsMapping).toEqual({ table: 'public.queue_calls', talk: 'ts_talk', durations: 'seconds' });
  });

  it('is absent unless set', () => {
    expect(loadConfig(withFile({})).config.tuning).toBeUndefined();
  });

  it('refuses a name that is not a plain SQL identifier, naming the key', () => {
    const load = () => loadConfig(withFile({ queueCallsMapping: { agent: 'to_dn; drop table x' } }));
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/"queueCallsMapping" in c\.json: .*agent must be a plain SQL name/);
  });

  it('refuses unknown keys in the mapping', () => {
    expect(() => loadConfig(withFile({ queueCallsMapping: { queueNumber: 'q' } }))).toThrow(/queueCallsMapping.*unknown key/);
  });
});
