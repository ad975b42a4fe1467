// Search finished calls by date with pagination, and export them as CSV.
import { useState, type FormEvent } from 'react';
import { CdrTable } from '../components/cdr-table.js';
import { CsvExportButton } from '../components/csv-export-button.js';
import { dayRange, daysAgo } from '../components/date-range.js';
import { EmptyState } from '../components/page-state.js';
import { ResourceBody } from '../components/resource-body.js';
import { useRelayClient } from '../hooks/relay-context.js';
import { useResource } from '../hooks/use-resource.js';

const PAGE_SIZE = 50;

export function CallRecordsPage() {
  const client = useRelayClient();
  const [fromDay, setFromDay] = useState(() => daysAgo(6));
  const [toDay, setToDay] = useState(() => daysAgo(0));
  const [range, setRange] = useState(() => dayRange(daysAgo(6), daysAgo(0)));
  const [formError, setFormError] = useState<string | null>(null);
  // Cursors of the pages visited so far: index 0 is the first page (no cursor).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];

  const page = useResource(
    () => (range ? client.cdrPage({ ...range, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }) : Promise.resolve(null)),
    [client, range, cursor],
  );

  const search = (event: FormEvent) => {
    event.preventDefault();
    const next = dayRange(fromDay, toDay);
    if (!next) return setFormError('Enter both dates.');
    if (next.from > next.to) return setFormError('The first day must not be after the last day.');
    setFormError(null);
    setRange(next);
    setCursors([undefined]);
  };

  const nextCursor = page.data?.nextCursor ?? null;
  return (
    <>
      <h1 tabIndex={-1}>Call records</h1>
      <form className="filters" onSubmit={search} aria-label="Search call records">
        <div className="field">
          <label htmlFor="cdr-from">First day</label>
          <input id="cdr-from" type="date" value={fromDay} onChange={(e) => setFromDay(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="cdr-to">Last day</label>
          <input id="cdr-to" type="date" value={toDay} onChange={(e) => setToDay(e.target.value)} required />
        </div>
        <button type="submit" className="primary">Search</button>
        <CsvExportButton range={range} />
      </form>
      {formError && <p className="form-error" role="alert">{formError}</p>}
      <ResourceBody resource={page} what="call records" isEmpty={(p) => p === null || p.rows.length === 0}
        empty={<EmptyState title="No calls in this range.">Try a wider date range.</EmptyState>}>
        {(p) => p && <CdrTable rows={p.rows} />}
      </ResourceBody>
      {page.data && (cursors.length > 1 || nextCursor) && (
        <nav className="pager" aria-label="Call record pages">
          <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous page</button>
          <span>Page {cursors.length}</span>
          <button type="button" disabled={!nextCursor} onClick={() => nextCursor && setCursors([...cursors, nextCursor])}>Next page</button>
        </nav>
      )}
    </>
  );
}
