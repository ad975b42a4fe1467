// One live call; the duration ticks from EstablishedAt, corrected by the
// offset between this machine's clock and the PBX's.
import type { LiveCall } from '../hooks/use-active-calls.js';
import { formatDuration } from './format-time.js';

export function callDurationMs(call: LiveCall, now: number): number | null {
  if (!call.EstablishedAt) return null;
  const established = Date.parse(call.EstablishedAt);
  if (Number.isNaN(established)) return null;
  return now - call.skewMs - established;
}

export function ActiveCallRow({ call, now, onDrop }: { call: LiveCall; now: number; onDrop?: (call: LiveCall) => void }) {
  const duration = callDurationMs(call, now);
  return (
    <tr>
      <td>{call.Caller}</td>
      <td>{call.Callee}</td>
      <td>{call.Status}</td>
      <td className="num mono" data-testid={`duration-${call.Id}`}>{duration === null ? '—' : formatDuration(duration)}</td>
      {onDrop && (
        <td>
          <button type="button" className="danger small" onClick={() => onDrop(call)}
            aria-label={`Drop call ${call.Caller} to ${call.Callee}`}>
            Drop
          </button>
        </td>
      )}
    </tr>
  );
}
