// The dashboard's chart frame: a caption, the drawing, and the same figures as
// a table in a <details>. The drawing is hidden from assistive technology (the
// table carries it), so it must not be focusable either: each chart passes
// recharts' `accessibilityLayer={false}`, or its keyboard layer would be.
import type { ReactElement, ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';

/** Tooltip styles as CSSOM (allowed by the CSP), following the theme variables. */
export const TOOLTIP_STYLE = { background: 'var(--surface)', borderColor: 'var(--border)', borderRadius: 6 };
export const TOOLTIP_TEXT = { color: 'var(--text)' };

export interface ChartFigureProps {
  caption: ReactNode;
  /** The recharts chart, drawn at the frame's size. */
  chart: ReactElement;
  /** The table's two column headings. */
  columns: readonly [string, string];
  rows: readonly (readonly [string, ReactNode])[];
}

export function ChartFigure({ caption, chart, columns, rows }: ChartFigureProps) {
  return (
    <figure className="chart">
      <figcaption>{caption}</figcaption>
      <div className="chart-canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">{chart}</ResponsiveContainer>
      </div>
      <details>
        <summary>Show as a table</summary>
        <table className="data-table compact">
          <thead><tr><th scope="col">{columns[0]}</th><th scope="col">{columns[1]}</th></tr></thead>
          <tbody>
            {rows.map(([label, value], i) => <tr key={i}><td>{label}</td><td>{value}</td></tr>)}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
