// The small pure parts behind live calls and the PBX probe: version
// comparison and SystemStatus reading, the coverage line, which API places a
// click-to-call, and what a makecall answer means.
import { describe, expect, it } from 'vitest';
import { callControlCoverage } from '../../../relay/pbx/call-control-coverage.js';
import { makeCallRoute } from '../../../relay/pbx/click-to-call-route.js';
import { makeCallOutcome } from '../../../relay/pbx/make-call-result.js';
import { parsePbxVersion, parseSystemStatus, versionAtLeast } from '../../../relay/pbx/pbx-status.js';
import { cdrTableUnusable } from '../../../relay/pbx/upstream-error-messages.js';

const AT = new Date('2026-11-30T10:00:00Z');
const dn = (n: string, type: string | null, deviceIds: string[] = []) => ({ dn: n, type, deviceIds });

describe('PBX version', () => {
  it('reads the numeric part and compares part by part', () => {
    expect(parsePbxVersion('20.0.7.1080')).toEqual([20, 0, 7, 1080]);
    expect(parsePbxVersion('20.0.0.0 (simulator)')).toEqual([20, 0, 0, 0]);
    expect(parsePbxVersion('unknown')).toBeNull();
    expect(versionAtLeast([20, 0, 6], [20, 0, 6])).toBe(true);
    expect(versionAtLeast([20, 0, 10, 1], [20, 0, 6])).toBe(true);
    expect(versionAtLeast([20, 0, 5, 999], [20, 0, 6])).toBe(false);
    expect(versionAtLeast([18], [20, 0, 6])).toBe(false);
  });

  it('reads SystemStatus fields by their swagger names, tolerating nulls and wrong types', () => {
    const s = parseSystemStatus({
      '@odata.context': 'x', Version: '20.0.7.1080', LicenseActive: true, ProductCode: '3CXPSENT',
      MaxSimCalls: 16, ExtensionsRegistered: 12, ExtensionsTotal: 40, TrunksRegistered: 1, TrunksTotal: 2, FQDN: 'pbx',
    }, AT);
    expect(s).toEqual({
      version: '20.0.7.1080', licenseActive: true, productCode: '3CXPSENT', maxSimCalls: 16,
      extensions: { registered: 12, total: 40 }, trunks: { registered: 1, total: 2 },
      callRecordsAvailable: true, notices: [], asOf: AT.toISOString(),
    });
    const odd = parseSystemStatus({ Version: null, LicenseActive: 'yes', MaxSimCalls: '16' }, AT)!;
    expect(odd).toMatchObject({ version: null, licenseActive: null, maxSimCalls: null, callRecordsAvailable: null });
    expect(odd.notices.map((n) => n.code)).toEqual(['pbx_version_unknown']);
    expect(parseSystemStatus([], AT)).toBeNull();
  });

  it('an inactive licence is a notice', () => {
    expect(parseSystemStatus({ Version: '20.0.7', LicenseActive: false }, AT)!.notices.map((n) => n.code)).toEqual(['pbx_license_inactive']);
  });
});

describe('Call Control coverage', () => {
  it('counts the extension DNs of the full state against the XAPI Users', () => {
    const monitored = [dn('relay', 'Wroutepoint'), dn('800', 'Wqueue'), dn('100', 'Wextension'), dn('101', 'Wextension'), dn('102', 'Wextension')];
    expect(callControlCoverage(monitored, 40)).toEqual({
      monitoredExtensions: 3, totalExtensions: 40, summary: 'Call Control monitors 3 of 40 extensions',
      hint: expect.stringContaining('Admin Console → Integrations → API → this client → monitored extensions'),
    });
    expect(callControlCoverage(monitored, 3)!.hint).toBeNull();
    expect(callControlCoverage(monitored, null)!.summary).toBe('Call Control monitors 3 extensions (the PBX\'s total is not known yet)');
    expect(callControlCoverage(null, 40)).toBeNull();
  });
});

describe('click-to-call route', () => {
  const monitored = [dn('100', 'Wextension', ['sip:100@x'])];
  it('Call Control for a DN it monitors, XAPI for any other, Call Control as the last resort', () => {
    expect(makeCallRoute('100', { monitored, callControlConfigured: true, xapiConfigured: true })).toBe('callcontrol');
    expect(makeCallRoute('105', { monitored, callControlConfigured: true, xapiConfigured: true })).toBe('xapi');
    expect(makeCallRoute('100', { monitored: null, callControlConfigured: true, xapiConfigured: true })).toBe('xapi');
    expect(makeCallRoute('105', { monitored, callControlConfigured: true, xapiConfigured: false })).toBe('callcontrol');
    expect(makeCallRoute('105', { monitored: null, callControlConfigured: false, xapiConfigured: false })).toBe('none');
  });
});

describe('makecall answer', () => {
  it('a result is a placed call; 200 without result is a failure carrying reasontext', () => {
    expect(makeCallOutcome({ finalstatus: 'Success', result: { id: 1, callid: 77 } }, 'x')).toEqual({ callId: '77' });
    expect(makeCallOutcome({ FinalStatus: 'Success', Result: { Callid: 78 } }, 'x')).toEqual({ callId: '78' });
    expect(makeCallOutcome(null, 'x')).toEqual({});
    expect(() => makeCallOutcome({ finalstatus: 'Failure', reasontext: 'Device not registered' }, 'no call'))
      .toThrow(expect.objectContaining({ code: 'makecall_failed', status: 502, message: 'no call: Device not registered' }));
    expect(() => makeCallOutcome({}, 'no call')).toThrow('no call (3CX gave no reason)');
  });
});

describe('call-record table messages', () => {
  it('point at the Data Connector\'s PostgreSQL copy', () => {
    expect(cdrTableUnusable('missing', 'cdroutput')).toMatch(/has no cdroutput table.*Data Connector's PostgreSQL copy/);
    expect(cdrTableUnusable('empty', 'cdroutput')).toMatch(/empty cdroutput table.*PurgeAfterSync.*Data Connector's PostgreSQL copy/);
  });
});
