// Service level over the day and calls waiting over the last hour. Like the
// calls-per-hour chart, the drawing is hidden from assistive technology (and
// not focusable); a table in a <details> carries the same figures.
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { QueueHistory, QueueSample } from '../hooks/use-queue-history.js';
import { ChartFigure, TOOLTIP_STYLE, TOOLTIP_TEXT } from './chart-figure.js';
const COLLECTED = 'Collected by this screen while it is open; the relay keeps no history of these figures.';

function timeLabel(ms: number, seconds: boolean): string {
  const d = new Date(ms);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return seconds ? `${hm}:${String(d.getSeconds()).padStart(2, '0')}` : hm;
}

interface SeriesChartProps {
  caption: string;
  samples: readonly QueueSample[];
  pick: (s: QueueSample) => number | null;
  column: string;
  seconds: boolean;
  percent?: boolean;
}

function SeriesChart({ caption, samples, pick, column, seconds, percent }: SeriesChartProps) {
  const rows = samples.map((s) => ({ label: timeLabel(s.at, seconds), value: pick(s) }));
  const shown = (v: number | null) => (v === null ? '—' : percent ? `${Math.round(v)} %` : String(v));
  return (
    <ChartFigure caption={<>{caption} <span className="chart-note">{COLLECTED}</span></>} columns={['Time', column]}
      rows={rows.map((r) => [r.label, shown(r.value)] as const)}
      chart={
        <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" className="chart-grid" vertical={false} />
          <XAxis dataKey="label" tick={{ className: 'chart-tick' }} interval="preserveStartEnd" minTickGap={24} />
          <YAxis allowDecimals={false} tick={{ className: 'chart-tick' }} {...(percent ? { domain: [0, 100] } : {})} />
          <Tooltip cursor={{ className: 'chart-cursor' }} contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_TEXT} itemStyle={TOOLTIP_TEXT} />
          <Line dataKey="value" name={column} className="chart-line" dot={false} isAnimationActive={false} connectNulls />
        </LineChart>
      } />
  );
}

export function SupervisorCharts({ history }: { history: QueueHistory }) {
  return (
    <div className="two-columns even">
      <section className="panel" aria-labelledby="sl-chart-title">
        <h2 id="sl-chart-title">Service level today</h2>
        <SeriesChart caption="Service level across all queues, every 5 minutes." samples={history.day}
          pick={(s) => s.serviceLevel} column="Service level" seconds={false} percent />
      </section>
      <section className="panel" aria-labelledby="waiting-chart-title">
        <h2 id="waiting-chart-title">Calls waiting, last hour</h2>
        <SeriesChart caption="Calls waiting across all queues." samples={history.recent}
          pick={(s) => s.waiting} column="Calls waiting" seconds />
      </section>
    </div>
  );
}
