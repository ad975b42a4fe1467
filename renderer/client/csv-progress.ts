// Follows a call-record CSV as it streams in, to tell the person how far the
// export got. Rows arrive newest first, so the start time of the latest row,
// measured back from the end of the range, says how much of the range is done.
// A small RFC 4180 state machine: quoted fields may hold commas, quotes and
// line breaks, and a chunk may end anywhere.
import type { ExportProgress } from '../../relay/contract/ipc-channels.js';
import type { CdrRange } from './relay-client.js';

const START_COLUMNS = ['cdr_started_at', 'started_at', 'start_time'];

export class CsvProgress {
  private rows = 0;
  private header: string[] | null = null;
  private startColumn = -1;
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  private quotePending = false;
  private lastCharWasCr = false;
  private fraction = 0;
  private readonly fromMs: number;
  private readonly toMs: number;

  constructor(range: CdrRange) {
    this.fromMs = Date.parse(range.from);
    this.toMs = Date.parse(range.to);
  }

  /** Feeds the next piece of text; returns the progress after it. */
  push(text: string): ExportProgress {
    for (const ch of text) this.consume(ch);
    return this.progress();
  }

  /** The stream ended: counts a last row without a trailing line break. */
  finish(): ExportProgress {
    if (this.field !== '' || this.fields.length > 0) this.endRecord();
    this.fraction = 1;
    return this.progress();
  }

  progress(): ExportProgress {
    return { rows: this.rows, fraction: this.fraction };
  }

  private consume(ch: string): void {
    if (this.inQuotes) {
      if (this.quotePending) {
        this.quotePending = false;
        if (ch === '"') {
          this.field += '"';
          return;
        }
        this.inQuotes = false; // the quote closed the field; handle ch below
      } else if (ch === '"') {
        this.quotePending = true;
        return;
      } else {
        this.field += ch;
        return;
      }
    }
    const afterCr = this.lastCharWasCr;
    this.lastCharWasCr = ch === '\r';
    if (ch === '"' && this.field === '') {
      this.inQuotes = true;
    } else if (ch === ',') {
      this.fields.push(this.field);
      this.field = '';
    } else if (ch === '\r') {
      this.endRecord();
    } else if (ch === '\n') {
      if (!afterCr) this.endRecord();
    } else {
      this.field += ch;
    }
  }

  private endRecord(): void {
    this.fields.push(this.field);
    const fields = this.fields;
    this.fields = [];
    this.field = '';
    if (fields.length === 1 && fields[0] === '') return; // blank line
    if (this.header === null) {
      this.header = fields;
      this.startColumn = fields.findIndex((name) => START_COLUMNS.includes(name.trim().toLowerCase()));
      return;
    }
    this.rows += 1;
    const started = this.startColumn >= 0 ? Date.parse(fields[this.startColumn] ?? '') : NaN;
    const span = this.toMs - this.fromMs;
    if (!Number.isNaN(started) && span > 0) {
      const done = (this.toMs - started) / span;
      this.fraction = Math.max(this.fraction, Math.min(1, Math.max(0, done)));
    }
  }
}
