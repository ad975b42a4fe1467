// A queue tile's state at a glance. ALERT: callers wait and no agent is free
// to take them; WARN: someone has waited longer than the queue's SLA time;
// OK otherwise. Each reads as a word and an icon, never colour alone.
import type { QueueFigures } from '../../relay/contract/supervisor-types.js';

export type QueueStatus = 'ok' | 'warn' | 'alert';

export const QUEUE_STATUS_TEXT: Record<QueueStatus, { label: string; icon: string; meaning: string }> = {
  ok: { label: 'OK', icon: '✓', meaning: 'nobody waits beyond the SLA time' },
  warn: { label: 'WARN', icon: '▲', meaning: 'a caller has waited beyond the SLA time' },
  alert: { label: 'ALERT', icon: '✖', meaning: 'callers wait and no agent is available' },
};

export function queueStatus(queue: QueueFigures, longestWaitS: number): QueueStatus {
  if (queue.callsWaiting.value > 0 && queue.agentsAvailable.value === 0) return 'alert';
  if (queue.callsWaiting.value > 0 && longestWaitS > queue.slaSeconds) return 'warn';
  return 'ok';
}
