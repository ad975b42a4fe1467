// One figure with its LIVE / STALE line. A stale figure greys out and says
// since when, in words as well as in colour.
import type { ReactNode } from 'react';
import { freshness, type Sourcing } from './freshness.js';

export interface SourcedFigureProps {
  label: string;
  source: Sourcing;
  now: number;
  children: ReactNode;
  /** The headline figures of a tile. */
  big?: boolean;
}

export function SourcedFigure({ label, source, now, children, big }: SourcedFigureProps) {
  const f = freshness(source, now);
  return (
    <div className={`figure${big ? ' figure-big' : ''}${f.stale ? ' figure-stale' : ''}`}>
      <dt>{label}</dt>
      <dd>
        <span className="figure-value">{children}</span>
        <span className="figure-age">{f.label}</span>
      </dd>
    </div>
  );
}
