import { describe, expect, it } from 'vitest';
import { EVENT_TYPE, MAX_FRAME_BYTES, parseEntity, parseFrame } from '../../../relay/pbx/callcontrol-frame.js';

describe('parseFrame', () => {
  const good = { sequence: 17, event: { event_type: 0, entity: '/callcontrol/100/participants/42', attached_data: null } };

  it('parses the reference frame from a Buffer and a string', () => {
    for (const raw of [Buffer.from(JSON.stringify(good)), JSON.stringify(good)]) {
      const r = parseFrame(raw);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.frame.eventType).toBe(EVENT_TYPE.upsert);
      expect(r.frame.entity).toBe('/callcontrol/100/participants/42');
      expect(r.frame.target).toEqual({ kind: 'participant', dn: '100', id: 42 });
      expect(r.frame.data).toEqual(good);
    }
  });

  it('keeps unknown fields (the event is forwarded as received)', () => {
    const r = parseFrame(JSON.stringify({ ...good, extra: { a: 1 }, event: { ...good.event, more: 'x' } }));
    expect(r.ok && r.frame.data).toMatchObject({ extra: { a: 1 }, event: { more: 'x' } });
  });

  it('accepts a frame without sequence and with a fragmented Buffer[]', () => {
    const text = JSON.stringify({ event: { event_type: 1, entity: '/callcontrol/800/participants/7' } });
    const r = parseFrame([Buffer.from(text.slice(0, 10)), Buffer.from(text.slice(10))]);
    expect(r.ok && r.frame.target).toEqual({ kind: 'participant', dn: '800', id: 7 });
  });

  it.each([
    ['truncated JSON', '{"sequence": 1, "event": {"event_type": 0, "entity": '],
    ['wrong types', JSON.stringify({ sequence: 'x', event: { event_type: 'upsert', entity: 42 } })],
    ['no event', JSON.stringify({ sequence: 3 })],
    ['negative type', JSON.stringify({ event: { event_type: -1, entity: '/callcontrol/1' } })],
    ['array', '[]'],
    ['null', 'null'],
    ['empty', ''],
  ])('returns an error value, never throws, for %s', (_name, raw) => {
    const r = parseFrame(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/frame/);
  });

  it('refuses a non-text payload and an oversized one', () => {
    expect(parseFrame(42).ok).toBe(false);
    expect(parseFrame('x'.repeat(MAX_FRAME_BYTES + 1)).ok).toBe(false);
  });
});

describe('parseEntity', () => {
  it.each([
    ['/callcontrol/100/participants/42', { kind: 'participant', dn: '100', id: 42 }],
    ['/callcontrol/100/devices/sip%3A100%40pbx', { kind: 'device', dn: '100', id: 'sip:100@pbx' }],
    ['/callcontrol/800', { kind: 'dn', dn: '800' }],
    ['/callcontrol/100/participants/abc', { kind: 'other', path: '/callcontrol/100/participants/abc' }],
    ['/xapi/v1/Users', { kind: 'other', path: '/xapi/v1/Users' }],
    ['/callcontrol/%E0%A4%A/participants/1', { kind: 'other', path: '/callcontrol/%E0%A4%A/participants/1' }],
  ])('%s', (path, expected) => {
    expect(parseEntity(path)).toEqual(expected);
  });
});
