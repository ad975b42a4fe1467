// CSV export progress: rows counted correctly however the stream is split,
// quoted fields with commas and line breaks included; the fraction follows
// the newest-first start times back through the range.
import { describe, expect, it } from 'vitest';
import { CsvProgress } from '../../renderer/client/csv-progress.js';

const range = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-11T00:00:00.000Z' };
const csv = [
  'cdr_id,cdr_started_at,source_participant_name,termination_reason',
  'a1,2026-11-10T00:00:00.000Z,"Smith, Anna",completed',
  'a2,2026-11-06T00:00:00.000Z,"Line one\nline two ""quoted""",completed',
  'a3,2026-11-03T00:00:00.000Z,Bob,',
].join('\r\n') + '\r\n';

describe('CsvProgress', () => {
  it('counts rows and range covered, in one piece', () => {
    const p = new CsvProgress(range);
    expect(p.push(csv)).toEqual({ rows: 3, fraction: 0.8 });
    expect(p.finish()).toEqual({ rows: 3, fraction: 1 });
  });

  it('gives the same count split at every possible point', () => {
    for (let cut = 1; cut < csv.length; cut += 1) {
      const p = new CsvProgress(range);
      p.push(csv.slice(0, cut));
      expect(p.push(csv.slice(cut)).rows, `split at ${cut}`).toBe(3);
    }
  });

  it('reports progress as rows arrive', () => {
    const p = new CsvProgress(range);
    const lines = csv.split('\r\n');
    expect(p.push(`${lines[0]}\r\n${lines[1]}\r\n`)).toEqual({ rows: 1, fraction: 0.1 });
  });

  it('counts a last row without a line break at the end', () => {
    const p = new CsvProgress(range);
    p.push('cdr_id,cdr_started_at\nx,2026-11-05T00:00:00Z\ny,2026-11-04T00:00:00Z');
    expect(p.finish().rows).toBe(2);
  });

  it('counts rows even without a start column', () => {
    const p = new CsvProgress(range);
    expect(p.push('id,name\n1,a\n2,b\n')).toEqual({ rows: 2, fraction: 0 });
  });
});
