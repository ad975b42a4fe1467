// A component's connection state as a coloured, labelled badge (the word is
// always there: colour alone carries no meaning).
import type { ComponentState, RelayStatus } from '../../relay/contract/api-types.js';

const LABELS: Record<ComponentState | RelayStatus, string> = {
  connected: 'Connected',
  connecting: 'Connecting',
  disconnected: 'Disconnected',
  error: 'Error',
  unconfigured: 'Not configured',
  ok: 'OK',
  degraded: 'Degraded',
  down: 'Down',
};

const TONES: Record<ComponentState | RelayStatus, 'good' | 'warn' | 'bad' | 'idle'> = {
  connected: 'good',
  ok: 'good',
  connecting: 'warn',
  degraded: 'warn',
  disconnected: 'bad',
  error: 'bad',
  down: 'bad',
  unconfigured: 'idle',
};

export function StateBadge({ state }: { state: ComponentState | RelayStatus }) {
  return <span className={`badge badge-${TONES[state]}`}>{LABELS[state]}</span>;
}
