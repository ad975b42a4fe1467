// The error feed: every fault any component reported, newest first.
import { useState } from 'react';
import type { ErrorQuery } from '../../relay/contract/api-types.js';
import { errorMessage } from '../client/relay-api-error.js';
import { DEFAULT_ERROR_FILTERS, ErrorFilters, type ErrorFilterValue } from '../components/error-filters.js';
import { ErrorRow } from '../components/error-row.js';
import { EmptyState } from '../components/page-state.js';
import { ResourceBody } from '../components/resource-body.js';
import { useRelayClient } from '../hooks/relay-context.js';
import { useResource } from '../hooks/use-resource.js';

const PAGE = 100;
const MAX_LIMIT = 500;

function toQuery(filters: ErrorFilterValue, limit: number): ErrorQuery {
  return {
    ...(filters.component ? { component: filters.component } : {}),
    ...(filters.severity ? { severity: filters.severity } : {}),
    ...(filters.acknowledged ? { acknowledged: filters.acknowledged === 'true' } : {}),
    limit,
  };
}

export function ErrorsPage() {
  const client = useRelayClient();
  const [filters, setFilters] = useState<ErrorFilterValue>(DEFAULT_ERROR_FILTERS);
  const [limit, setLimit] = useState(PAGE);
  const [notice, setNotice] = useState<string | null>(null);
  const errors = useResource(() => client.listErrors(toQuery(filters, limit)), [client, filters, limit], {
    pollMs: 10_000,
    refreshOn: (f) => f.type === 'error_logged',
  });

  const acknowledge = async (ids: number[]) => {
    setNotice(null);
    const results = await Promise.allSettled(ids.map((id) => client.acknowledgeError(id)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) setNotice(`${failed.length} of ${ids.length} could not be acknowledged: ${errorMessage(failed[0]?.reason)}`);
    else setNotice(ids.length === 1 ? 'Error acknowledged.' : `${ids.length} errors acknowledged.`);
    errors.reload();
  };

  const open = (errors.data ?? []).filter((e) => !e.acknowledged).map((e) => e.id);

  return (
    <>
      <h1 tabIndex={-1}>Errors</h1>
      <div className="toolbar">
        <ErrorFilters value={filters} onChange={(next) => { setFilters(next); setLimit(PAGE); }} />
        <button type="button" disabled={open.length === 0} onClick={() => void acknowledge(open)}>
          Acknowledge all visible ({open.length})
        </button>
      </div>
      <p className="page-notice" role="status">{notice}</p>
      <ResourceBody resource={errors} what="errors" isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState title={filters.acknowledged === 'false' ? 'No unacknowledged errors.' : 'No errors match these filters.'}>
            Faults reported by the 3CX links, the store or the local API appear here as they happen.
          </EmptyState>
        }>
        {(list) => (
          <>
            <ul className="error-list" aria-label="Errors">
              {list.map((entry) => <ErrorRow key={entry.id} entry={entry} onAcknowledge={(id) => void acknowledge([id])} />)}
            </ul>
            {list.length >= limit && limit < MAX_LIMIT && (
              <button type="button" onClick={() => setLimit(Math.min(MAX_LIMIT, limit + PAGE))}>Show older errors</button>
            )}
          </>
        )}
      </ResourceBody>
    </>
  );
}
