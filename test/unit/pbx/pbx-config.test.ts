import { describe, expect, it } from 'vitest';
import { normalizePbxBaseUrl, validatePbxConfig } from '../../../relay/pbx/pbx-config.js';
import { refreshDelayMs } from '../../../relay/pbx/token-broker.js';
import { upstreamMessage } from '../../../relay/pbx/upstream-http.js';
import { parseActiveCalls } from '../../../relay/pbx/xapi-client.js';
import { RelayError } from '../../../relay/core/relay-error.js';
import { callControlSocketUrl } from '../../../relay/pbx/callcontrol-client.js';

describe('PBX base URL', () => {
  it.each([
    ['https://pbx.example.com/', 'https://pbx.example.com'],
    ['https://pbx.example.com:5001', 'https://pbx.example.com:5001'],
    ['  https://PBX.example.com/3cx/ ', 'https://pbx.example.com/3cx'],
    ['http://127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['http://localhost:8080/', 'http://localhost:8080'],
    ['http://[::1]:9000', 'http://[::1]:9000'],
  ])('accepts %s', (raw, expected) => {
    expect(normalizePbxBaseUrl(raw)).toBe(expected);
  });

  it.each([
    ['http://pbx.example.com', /https/],
    ['http://10.0.0.5', /loopback/],
    ['ftp://pbx.example.com', /https/],
    ['pbx.example.com', /not a URL|https/],
    ['https://user:pw@pbx.example.com', /credentials/],
    ['https://pbx.example.com/?x=1', /query/],
  ])('refuses %s', (raw, message) => {
    expect(() => normalizePbxBaseUrl(raw)).toThrow(message);
    try {
      normalizePbxBaseUrl(raw);
    } catch (e) {
      expect((e as RelayError).code).toBe('bad_request');
    }
  });

  it('validates the whole config', () => {
    expect(validatePbxConfig({ baseUrl: 'https://p.example.com/', clientId: ' relay ', clientSecret: 'x' })).toEqual({
      baseUrl: 'https://p.example.com', clientId: 'relay', clientSecret: 'x',
    });
    expect(() => validatePbxConfig({ baseUrl: 'https://p.example.com', clientId: '', clientSecret: 'x' })).toThrow(/client id/);
    expect(() => validatePbxConfig({ baseUrl: 'https://p.example.com', clientId: 'a', clientSecret: '' })).toThrow(/secret/);
  });

  it('derives the Call Control socket URL', () => {
    expect(callControlSocketUrl('https://pbx.example.com:5001')).toBe('wss://pbx.example.com:5001/callcontrol/ws');
    expect(callControlSocketUrl('http://127.0.0.1:4000')).toBe('ws://127.0.0.1:4000/callcontrol/ws');
  });
});

describe('token refresh schedule', () => {
  it('refreshes at 80 % or 60 s before expiry, whichever is earlier, never before half-life', () => {
    expect(refreshDelayMs(3_600_000)).toBe(2_880_000);
    expect(refreshDelayMs(240_000)).toBe(180_000);
    expect(refreshDelayMs(120_000)).toBe(60_000);
    expect(refreshDelayMs(10_000)).toBe(5_000);
  });
});

describe('3CX error bodies', () => {
  it('reads OData, OAuth2, plain and unknown bodies', () => {
    expect(upstreamMessage({ error: { code: 'NotFound', message: 'Call 7 not found.' } })).toEqual({ code: 'NotFound', message: 'Call 7 not found.' });
    expect(upstreamMessage({ error: 'invalid_client', error_description: 'Invalid client credentials' })).toEqual({ code: 'invalid_client', message: 'Invalid client credentials' });
    expect(upstreamMessage('  Bad gateway ')).toEqual({ code: null, message: 'Bad gateway' });
    expect(upstreamMessage('')).toEqual({ code: null, message: null });
    expect(upstreamMessage({ title: 'Unauthorized' })).toEqual({ code: null, message: 'Unauthorized' });
    expect(upstreamMessage(null)).toEqual({ code: null, message: null });
  });
});

describe('parseActiveCalls', () => {
  const now = new Date('2026-11-23T10:01:05Z');
  it('reads the OData envelope of the reference', () => {
    const body = {
      '@odata.context': 'https://pbx.example.com/xapi/v1/$metadata#ActiveCalls',
      value: [{ Id: 1234, Caller: '100 Anna Ford', Callee: '+4930123456', Status: 'Talking', LastChangeStatus: '2026-11-23T10:01:02Z', EstablishedAt: '2026-11-23T10:00:40Z', ServerNow: '2026-11-23T10:01:05Z' }],
    };
    expect(parseActiveCalls(body, now)).toEqual([body.value[0]]);
  });

  it('tolerates missing optional fields and skips entities without an Id', () => {
    expect(parseActiveCalls({ value: [{ Id: '5', Status: 'Ringing' }, { Caller: 'x' }] }, now)).toEqual([
      { Id: 5, Caller: '', Callee: '', Status: 'Ringing', LastChangeStatus: '2026-11-23T10:01:05.000Z', EstablishedAt: null, ServerNow: '2026-11-23T10:01:05.000Z' },
    ]);
  });

  it('refuses an answer without the envelope', () => {
    expect(() => parseActiveCalls([{ Id: 1 }], now)).toThrow(/OData/);
    expect(() => parseActiveCalls('<html>', now)).toThrow(RelayError);
  });
});
