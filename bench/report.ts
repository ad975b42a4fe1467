// `npx tsx bench/report.ts`: the latest result of each benchmark (and the
// soak) from bench/results/*-latest.json as Markdown tables, for
// docs/performance.md.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR, type BenchResult, type Figures } from './support/bench-result.js';

const NAMES = ['key-auth', 'fan-out', 'cdr-export', 'upstream-economy', 'startup', 'soak'];

const fmt = (v: unknown): string => {
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toLocaleString('en-US', { maximumFractionDigits: v < 10 ? 2 : 1 });
};

const table = (figures: Figures): string[] => ['| figure | value |', '| --- | --- |', ...Object.entries(figures).map(([k, v]) => `| ${k} | ${fmt(v)} |`)];

const out: string[] = [];
for (const name of NAMES) {
  const file = path.join(RESULTS_DIR, `${name}-latest.json`);
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, 'utf8')) as BenchResult & { machine: Figures };
  out.push(`### ${r.title}`, '', `Run ${r.startedAt} (${r.durationS.toFixed(0)} s), ${r.machine.cores} cores, ${r.machine.cpu}, Node ${r.machine.node}, load average ${r.machine.loadAverage1m ?? 'n/a'} at the end.`, '');
  out.push(...table(r.figures), '');
  if (Object.keys(r.baseline.figures).length > 0) out.push(`Baseline — ${r.baseline.description}:`, '', ...table(r.baseline.figures), '');
  const ratios = Object.entries(r.ratios).filter(([, v]) => v !== null);
  if (ratios.length > 0) out.push(`Ratios: ${ratios.map(([k, v]) => `${k} ${fmt(v)}×`).join(', ')}.`, '');
  out.push('| target | measured | held |', '| --- | --- | --- |', ...r.targets.map((t) => `| ${t.description} | ${t.measured === null ? 'n/a' : fmt(t.measured)} | ${t.held ? 'yes' : '**no**'} |`), '');
}
console.log(out.join('\n'));
