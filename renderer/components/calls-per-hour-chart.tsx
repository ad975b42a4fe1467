// Calls started per hour over the last 24 hours. The chart is decorative for
// screen readers; the same figures are offered as a table in a <details>.
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure, TOOLTIP_STYLE, TOOLTIP_TEXT } from './chart-figure.js';

export interface HourCount { hour: string; count: number }

function hourLabel(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${String(date.getHours()).padStart(2, '0')}:00`;
}

export function CallsPerHourChart({ data }: { data: readonly HourCount[] }) {
  const rows = data.map((point) => ({ label: hourLabel(point.hour), count: point.count }));
  return (
    <ChartFigure caption="Calls per hour, last 24 hours" columns={['Hour', 'Calls']} rows={rows.map((r) => [r.label, r.count] as const)}
      chart={
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" className="chart-grid" vertical={false} />
          <XAxis dataKey="label" tick={{ className: 'chart-tick' }} interval="preserveStartEnd" minTickGap={16} />
          <YAxis allowDecimals={false} tick={{ className: 'chart-tick' }} />
          <Tooltip cursor={{ className: 'chart-cursor' }} contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_TEXT} itemStyle={TOOLTIP_TEXT} />
          <Bar dataKey="count" name="Calls" className="chart-bar" isAnimationActive={false} />
        </BarChart>
      } />
  );
}
