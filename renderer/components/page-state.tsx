// The three non-data states every page shows the same way.
import type { ReactNode } from 'react';

export function Loading({ what }: { what: string }) {
  return <p className="page-loading" role="status">Loading {what}…</p>;
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="error-state" role="alert">
      <p><strong>Could not load this page.</strong> {message}</p>
      {onRetry && <button type="button" onClick={onRetry}>Try again</button>}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children && <p>{children}</p>}
    </div>
  );
}

/** A failed refresh while older data is still on screen. */
export function StaleNotice({ message }: { message: string | null }) {
  if (!message) return null;
  return <p className="stale-notice" role="status">Showing the last data received: {message}</p>;
}
