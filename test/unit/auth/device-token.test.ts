import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEVICE_TOKEN_TTL_MS, DeviceTokens } from '../../../relay/auth/device-token.js';

function tokens(secret = crypto.randomBytes(32)) {
  let now = Date.parse('2026-11-30T00:00:00Z');
  const clock = { now: () => now, setTimeout: () => ({ cancel() {} }) };
  return { t: new DeviceTokens(async () => secret, clock), advance: (ms: number) => void (now += ms) };
}

describe('device tokens', () => {
  it('verify for the user they were issued to, each with its own device id', async () => {
    const { t } = tokens();
    const a = await t.issue('admin');
    const b = await t.issue('admin');
    const da = await t.verify(a, 'admin');
    expect(da).not.toBeNull();
    expect(da!.deviceId).not.toBe((await t.verify(b, 'admin'))!.deviceId);
    expect(await t.verify(a, 'Admin')).toBeNull();
    expect(await t.verify(a, 'alice')).toBeNull();
  });

  it('refuse tampered, foreign, malformed, missing and expired tokens', async () => {
    const { t, advance } = tokens();
    const a = await t.issue('admin');
    const parts = a.split('.');
    const forged = [parts[0], Buffer.from('alice').toString('base64url'), parts[2], parts[3], parts[4]].join('.');
    expect(await t.verify(forged, 'alice')).toBeNull();
    expect(await t.verify(await tokens().t.issue('admin'), 'admin')).toBeNull(); // another relay's key
    for (const bad of ['', 'x', 'a.b.c.d.e', `${a}.`, undefined, 'x'.repeat(600)]) expect(await t.verify(bad, 'admin')).toBeNull();
    advance(DEVICE_TOKEN_TTL_MS + 1);
    expect(await t.verify(a, 'admin')).toBeNull();
  });

  it('does not reveal the secret or depend on anything but it', async () => {
    const secret = crypto.randomBytes(32);
    const a = await tokens(secret).t.issue('admin');
    expect(a).not.toContain(secret.toString('base64url'));
    expect(await tokens(secret).t.verify(a, 'admin')).not.toBeNull(); // a restart with the stored key
  });
});
