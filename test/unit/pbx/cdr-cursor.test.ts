import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeCdrCursor, encodeCdrCursor } from '../../../relay/pbx/cdr-cursor.js';
import { cdrPageQuery } from '../../../relay/contract/schemas.js';
import { RelayError } from '../../../relay/core/relay-error.js';

const key = { startedAt: '2026-11-23 10:00:40.123456+00', id: '0b9a3c1e-7d2f-4a51-9c1b-2f3e4d5a6b7c' };

function expectForeign(cursor: string) {
  try {
    decodeCdrCursor(cursor);
    expect.fail('accepted a foreign cursor');
  } catch (e) {
    expect(e).toBeInstanceOf(RelayError);
    expect((e as RelayError).code).toBe('bad_request');
    expect((e as RelayError).status).toBe(400);
  }
}

describe('CDR cursor', () => {
  it('round-trips a key exactly (microseconds and offset kept)', () => {
    expect(decodeCdrCursor(encodeCdrCursor(key))).toEqual(key);
    const noZone = { startedAt: '2026-01-02 03:04:05', id: 'abc' };
    expect(decodeCdrCursor(encodeCdrCursor(noZone))).toEqual(noZone);
  });

  it('is opaque base64url that the contract schema accepts', () => {
    const c = encodeCdrCursor(key);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(c).not.toContain(key.id);
    expect(cdrPageQuery.safeParse({ from: '2026-11-01', to: '2026-11-30', cursor: c }).success).toBe(true);
  });

  it('refuses foreign cursors with bad_request', () => {
    expectForeign('');
    expectForeign('not base64!');
    expectForeign(Buffer.from('hello').toString('base64url'));
    expectForeign(Buffer.from(JSON.stringify(['cdr1', "2026-01-01'; DROP TABLE cdroutput; --", 'x'])).toString('base64url'));
    expectForeign(Buffer.from(JSON.stringify(['cdr0', key.startedAt, key.id])).toString('base64url'));
    expectForeign(Buffer.from(JSON.stringify(['cdr1', key.startedAt, 'a b'])).toString('base64url'));
    expectForeign(Buffer.from(JSON.stringify({ t: key.startedAt, id: key.id })).toString('base64url'));
    expectForeign('A'.repeat(500));
  });

  it('never throws anything but a RelayError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          decodeCdrCursor(s);
          return true;
        } catch (e) {
          return e instanceof RelayError && e.code === 'bad_request';
        }
      }),
    );
  });
});
