// Exports every record of a range as CSV, showing rows received and how much
// of the range is covered.
import { useEffect, useRef, useState } from 'react';
import type { ExportProgress } from '../../relay/contract/ipc-channels.js';
import { errorMessage } from '../client/relay-api-error.js';
import type { CdrRange } from '../client/relay-client.js';
import { useRelayClient } from '../hooks/relay-context.js';

type ExportState =
  | { phase: 'idle' }
  | { phase: 'running'; progress: ExportProgress }
  | { phase: 'done'; rows: number; savedAs: string }
  | { phase: 'cancelled' }
  | { phase: 'failed'; message: string };

export function CsvExportButton({ range }: { range: CdrRange | null }) {
  const client = useRelayClient();
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const run = async () => {
    if (!range) return;
    setState({ phase: 'running', progress: { rows: 0, fraction: 0 } });
    try {
      const result = await client.exportCdrCsv(range, (progress) => {
        if (alive.current) setState({ phase: 'running', progress });
      });
      if (!alive.current) return;
      setState(result ? { phase: 'done', rows: result.rows, savedAs: result.savedAs } : { phase: 'cancelled' });
    } catch (err) {
      if (alive.current) setState({ phase: 'failed', message: errorMessage(err) });
    }
  };

  const running = state.phase === 'running';
  return (
    <div className="csv-export">
      <button type="button" onClick={() => void run()} disabled={!range || running}>
        {running ? 'Exporting…' : 'Export CSV'}
      </button>
      {running && (
        <progress max={1} value={state.progress.fraction} aria-label="Export progress" />
      )}
      <span role="status" aria-live="polite" className="csv-status">
        {state.phase === 'running' && `${state.progress.rows.toLocaleString()} rows, ${Math.round(state.progress.fraction * 100)} % of the range`}
        {state.phase === 'done' && `Exported ${state.rows.toLocaleString()} rows to ${state.savedAs}.`}
        {state.phase === 'cancelled' && 'Export cancelled.'}
      </span>
      {state.phase === 'failed' && <span role="alert" className="form-error">Export failed: {state.message}</span>}
    </div>
  );
}
