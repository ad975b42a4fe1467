// Parsing of Call Control WebSocket frames. A frame only names an entity
// ("/callcontrol/100/participants/42") and what happened to it; the client
// fetches the entity over REST. Anything that does not look like that is
// returned as a failure value — never thrown — so one bad frame cannot end
// the socket handler.
import { z } from 'zod';

export const EVENT_TYPE = { upsert: 0, remove: 1, dtmf: 2, promptFinished: 3, response: 4 } as const;

const frameSchema = z.looseObject({
  sequence: z.number().int().nullish(),
  event: z.looseObject({
    event_type: z.number().int().min(0),
    entity: z.string().max(2048),
    attached_data: z.unknown().optional(),
  }),
});

/** The frame as 3CX sent it (unknown extra fields kept). */
export type CallControlFrameData = z.infer<typeof frameSchema>;

export type EntityRef =
  | { kind: 'participant'; dn: string; id: number }
  | { kind: 'device'; dn: string; id: string }
  | { kind: 'dn'; dn: string }
  | { kind: 'other'; path: string };

export interface CallControlFrame {
  data: CallControlFrameData;
  eventType: number;
  entity: string;
  target: EntityRef;
}

export type FrameParseResult = { ok: true; frame: CallControlFrame } | { ok: false; error: string };

// 3CX frames are a few hundred bytes; this bounds what a faulty peer can make us hold.
export const MAX_FRAME_BYTES = 1024 * 1024;

function segmentText(s: string): string | null {
  try {
    const decoded = decodeURIComponent(s);
    return decoded.length > 0 ? decoded : null;
  } catch {
    return null;
  }
}

/** Which entity a frame's `entity` path names. */
export function parseEntity(path: string): EntityRef {
  const parts = path.split('?')[0]!.split('/').filter((p) => p.length > 0);
  if (parts[0] !== 'callcontrol' || parts.length < 2) return { kind: 'other', path };
  const dn = segmentText(parts[1]!);
  if (!dn) return { kind: 'other', path };
  if (parts.length === 2) return { kind: 'dn', dn };
  if (parts.length === 4 && parts[2] === 'participants' && /^\d{1,15}$/.test(parts[3]!)) {
    return { kind: 'participant', dn, id: Number(parts[3]) };
  }
  if (parts.length === 4 && parts[2] === 'devices') {
    const id = segmentText(parts[3]!);
    if (id) return { kind: 'device', dn, id };
  }
  return { kind: 'other', path };
}

function frameText(raw: unknown): string | null {
  if (typeof raw === 'string') return raw;
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
  if (Array.isArray(raw) && raw.every((b) => Buffer.isBuffer(b))) return Buffer.concat(raw as Buffer[]).toString('utf8');
  return null;
}

/** Parse one WebSocket message. Never throws. */
export function parseFrame(raw: unknown): FrameParseResult {
  const text = frameText(raw);
  if (text === null) return { ok: false, error: 'frame is not text' };
  if (text.length > MAX_FRAME_BYTES) return { ok: false, error: `frame of ${text.length} bytes is too large` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: `frame is not JSON: ${preview(text)}` };
  }
  const parsed = frameSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'frame';
    return { ok: false, error: `frame does not match the Call Control event shape (${where}: ${issue?.message ?? 'invalid'}): ${preview(text)}` };
  }
  const data = parsed.data;
  return {
    ok: true,
    frame: { data, eventType: data.event.event_type, entity: data.event.entity, target: parseEntity(data.event.entity) },
  };
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 120 ? `${oneLine.slice(0, 120)}…` : oneLine;
}
