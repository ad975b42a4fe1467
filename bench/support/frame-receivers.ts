// Many WebSocket clients in the bench process, each recording what it
// receives with the least work per frame (no full JSON.parse on the hot path:
// 200 clients x 2,000 frames/s is 400k frames/s in one process, and the
// receiver's own cost must not become the latency being measured).
import WebSocket from 'ws';

export const nowMs = () => Number(process.hrtime.bigint() / 1000n) / 1000;

const SEQ = /"seq":(\d+)/;
const SEQUENCE = /"sequence":(\d+)/;

export interface ReceiverStats {
  /** Relay frame seq went backwards. */
  outOfOrder: number;
  /** Relay frame seq jumped forward by more than one (frames skipped). */
  seqGaps: number;
  /** Call events: upstream (3CX) sequence and receive time, in arrival order. */
  eventSeqs: number[];
  eventAtMs: number[];
  frames: number;
  bytes: number;
  closeCodes: number[];
}

export interface Receiver { ws: WebSocket; stats: ReceiverStats }

/**
 * Opens `n` sockets to `url`. `relayFrames` = frames are the relay's
 * ({type, seq, data: {sequence}}); otherwise raw 3CX frames ({sequence}).
 */
export async function openReceivers(n: number, url: string, headers: Record<string, string>, relayFrames: boolean): Promise<Receiver[]> {
  const receivers: Receiver[] = [];
  const opening: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    const stats: ReceiverStats = { outOfOrder: 0, seqGaps: 0, eventSeqs: [], eventAtMs: [], frames: 0, bytes: 0, closeCodes: [] };
    let lastSeq = -1;
    ws.on('message', (data: Buffer) => {
      const at = nowMs();
      const s = data.toString('utf8');
      stats.frames += 1;
      stats.bytes += data.length;
      if (relayFrames) {
        const m = SEQ.exec(s);
        if (m) {
          const seq = Number(m[1]);
          if (lastSeq >= 0 && seq <= lastSeq) stats.outOfOrder += 1;
          else if (lastSeq >= 0 && seq > lastSeq + 1 && !s.startsWith('{"type":"hello"')) stats.seqGaps += 1;
          lastSeq = Math.max(lastSeq, seq);
        }
        if (s.includes('"type":"call_event"')) {
          const e = SEQUENCE.exec(s);
          if (e) {
            stats.eventSeqs.push(Number(e[1]));
            stats.eventAtMs.push(at);
          }
        }
      } else {
        const e = SEQUENCE.exec(s);
        if (e) {
          stats.eventSeqs.push(Number(e[1]));
          stats.eventAtMs.push(at);
        }
      }
    });
    ws.on('close', (code) => stats.closeCodes.push(code));
    ws.on('error', () => undefined);
    opening.push(new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket upgrade answered ${res.statusCode}`)));
      ws.once('error', reject);
    }));
    receivers.push({ ws, stats });
  }
  await Promise.all(opening);
  return receivers;
}

/** Forgets what was received so far (after a warm-up); order checks keep running. */
export function resetCounts(receivers: Receiver[]): void {
  for (const { stats } of receivers) {
    stats.eventSeqs = [];
    stats.eventAtMs = [];
    stats.frames = 0;
    stats.bytes = 0;
  }
}

export async function closeReceivers(receivers: Receiver[]): Promise<void> {
  await Promise.all(receivers.map((r) => new Promise<void>((resolve) => {
    if (r.ws.readyState === WebSocket.CLOSED) return resolve();
    r.ws.once('close', () => resolve());
    r.ws.close();
    setTimeout(() => { r.ws.terminate(); resolve(); }, 2000).unref();
  })));
}

export interface DeliveryFigures {
  emitted: number;
  deliveries: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  latencies: Float64Array;
}

/** Matches what each receiver got against what the simulator emitted. */
export function deliveryFigures(receivers: Receiver[], emitted: { seqs: number[]; sentAtMs: number[] }, relayFrames: boolean): DeliveryFigures {
  const sentAt = new Map<number, number>();
  emitted.seqs.forEach((s, i) => sentAt.set(s, emitted.sentAtMs[i]!));
  const latencies = new Float64Array(emitted.seqs.length * receivers.length);
  let k = 0;
  let lost = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  for (const r of receivers) {
    const seen = new Set<number>();
    let prev = -1;
    r.stats.eventSeqs.forEach((seq, i) => {
      const sent = sentAt.get(seq);
      if (sent === undefined) return; // before or after the measured window
      if (seen.has(seq)) {
        duplicates += 1;
        return;
      }
      seen.add(seq);
      if (seq < prev) outOfOrder += 1;
      prev = seq;
      latencies[k++] = r.stats.eventAtMs[i]! - sent;
    });
    lost += emitted.seqs.length - seen.size;
    if (relayFrames) outOfOrder += r.stats.outOfOrder;
  }
  return { emitted: emitted.seqs.length, deliveries: k, lost, duplicates, outOfOrder, latencies: latencies.subarray(0, k) };
}
