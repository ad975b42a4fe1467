// One benchmark's outcome: its figures, the baseline measured in the same run
// on the same machine, the ratio between them and whether each target held.
// Written as JSON to bench/results/ (git-ignored) so runs can be compared.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Figures = Record<string, number | string | boolean | null>;

export interface Target {
  /** What is promised, e.g. "throughput >= 5000 req/s". */
  description: string;
  measured: number | null;
  held: boolean;
}

export interface BenchResult {
  name: string;
  title: string;
  startedAt: string;
  durationS: number;
  figures: Figures;
  baseline: { description: string; figures: Figures };
  /** Ours divided by (or compared with) the baseline, each named. */
  ratios: Record<string, number | null>;
  targets: Target[];
  notes: string[];
}

export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results');

export function machineInfo(): Figures {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    // The machine may be shared (other test runs): say how busy it was.
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

export function target(description: string, measured: number | null, held: (v: number) => boolean): Target {
  return { description, measured, held: measured !== null && Number.isFinite(measured) && held(measured) };
}

/**
 * Writes `<name>-<timestamp>.json` and, unless it was a shortened (quick)
 * run, `<name>-latest.json`; returns the first path.
 */
export function writeResult(result: BenchResult, opts: { quick?: boolean } = {}): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const body = `${JSON.stringify({ ...result, machine: machineInfo() }, null, 2)}\n`;
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `${result.name}-${stamp}${opts.quick ? '-quick' : ''}.json`);
  writeFileSync(file, body);
  if (!opts.quick) writeFileSync(path.join(RESULTS_DIR, `${result.name}-latest.json`), body);
  return file;
}

const fmt = (v: number | string | boolean | null): string =>
  typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(v < 10 ? 2 : 1)) : String(v);

/** Human-readable summary for the terminal (the bench CLI prints it). */
export function formatResult(r: BenchResult): string {
  const lines = [`== ${r.title} (${r.durationS.toFixed(1)} s)`];
  for (const [k, v] of Object.entries(r.figures)) lines.push(`  ${k.padEnd(34)} ${fmt(v)}`);
  lines.push(`  baseline: ${r.baseline.description}`);
  for (const [k, v] of Object.entries(r.baseline.figures)) lines.push(`    ${k.padEnd(32)} ${fmt(v)}`);
  for (const [k, v] of Object.entries(r.ratios)) lines.push(`  ratio ${k.padEnd(28)} ${v === null ? 'n/a' : `${fmt(v)}x`}`);
  for (const t of r.targets) lines.push(`  [${t.held ? 'PASS' : 'MISS'}] ${t.description} (measured ${t.measured === null ? 'n/a' : fmt(t.measured)})`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}
