// A page's data area: the data, or its loading, failure or empty state.
import type { ReactNode } from 'react';
import type { Resource } from '../hooks/use-resource.js';
import { EmptyState, ErrorState, Loading, StaleNotice } from './page-state.js';

export interface ResourceBodyProps<T> {
  resource: Resource<T>;
  /** "Loading <what>…" */
  what: string;
  /** Shown instead of `children` when true for the data. */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

export function ResourceBody<T>({ resource, what, isEmpty, empty, children }: ResourceBodyProps<T>) {
  if (resource.data !== undefined) {
    return (
      <>
        <StaleNotice message={resource.error} />
        {isEmpty?.(resource.data) ? (empty ?? <EmptyState title={`No ${what}.`} />) : children(resource.data)}
      </>
    );
  }
  if (resource.error) return <ErrorState message={resource.error} onRetry={resource.reload} />;
  return <Loading what={what} />;
}
