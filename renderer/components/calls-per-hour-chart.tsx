// Calls started per hour over the last 24 hours. The chart is decorative for
// screen readers; the same figures are offered as a table in a <details>.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const TOOLTIP_STYLE = { background: 'var(--surface)', borderColor: 'var(--border)', borderRadius: 6 };
const TOOLTIP_TEXT = { color: 'var(--text)' };

export interface HourCount { hour: string; count: number }

function hourLabel(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${String(date.getHours()).padStart(2, '0')}:00`;
}

export function CallsPerHourChart({ data }: { data: readonly HourCount[] }) {
  const rows = data.map((point) => ({ label: hourLabel(point.hour), count: point.count }));
  return (
    <figure className="chart">
      <figcaption>Calls per hour, last 24 hours</figcaption>
      <div className="chart-canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          {/* The chart is hidden from assistive technology (the table below carries the same
              figures), so it must not be focusable either: recharts' keyboard layer would be. */}
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" className="chart-grid" vertical={false} />
            <XAxis dataKey="label" tick={{ className: 'chart-tick' }} interval="preserveStartEnd" minTickGap={16} />
            <YAxis allowDecimals={false} tick={{ className: 'chart-tick' }} />
            {/* Inline styles here are CSSOM (allowed by the CSP), following the theme variables. */}
            <Tooltip cursor={{ className: 'chart-cursor' }} contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_TEXT} itemStyle={TOOLTIP_TEXT} />
            <Bar dataKey="count" name="Calls" className="chart-bar" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>Show as a table</summary>
        <table className="data-table compact">
          <thead><tr><th scope="col">Hour</th><th scope="col">Calls</th></tr></thead>
          <tbody>
            {rows.map((row, i) => <tr key={i}><td>{row.label}</td><td>{row.count}</td></tr>)}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
