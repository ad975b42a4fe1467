// CSV text (RFC 4180) as the call-record export writes it. The rules are
// csv-stringify's defaults, which the export used first (and whose bytes the
// tests still compare against): a field is quoted when it holds a comma, a
// double quote, CR or LF; embedded quotes are doubled; null and '' are both
// an empty field; records end in a bare LF. One rule on top (OWASP's, for CSV
// injection): a cell a spreadsheet would run as a formula gets a leading `'`.
// PostgreSQL writes the export's rows itself (COPY … WITH (FORMAT csv), same
// quoting); the SQL applies FORMULA_START from here, and this module writes
// the header and is the reference the tests hold that SQL to.

import { FORMULA_START } from '../core/formula-start.js';

export { FORMULA_START };

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/** The value with a `'` in front when a spreadsheet would run it as a formula. */
export function neutraliseFormula(value: string): string {
  return value !== '' && FORMULA_START.includes(value[0] as string) ? `'${value}` : value;
}

/** One field as CSV text. */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const safe = neutraliseFormula(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(QUOTE, '""')}"` : safe;
}

/** One record per row (its first `width` values), each ending in LF. */
export function csvRecords(rows: readonly (readonly (string | null | undefined)[])[], width: number): string {
  let text = '';
  for (const row of rows) {
    text += csvField(row[0]);
    for (let i = 1; i < width; i++) text += ',' + csvField(row[i]);
    text += '\n';
  }
  return text;
}

const COMMA = 0x2c;
const DQUOTE = 0x22;

/**
 * Field `index` of one CSV record (UTF-8 bytes, quotes undone), or null when
 * the record has fewer fields. For reading one value back out of a record
 * PostgreSQL wrote, e.g. the start time for the export's progress.
 */
export function csvFieldAt(record: Buffer, index: number): string | null {
  let field = 0;
  let i = 0;
  const end = record.length > 0 && record[record.length - 1] === 0x0a ? record.length - 1 : record.length;
  while (field < index) {
    if (i >= end) return null;
    if (record[i] === DQUOTE) {
      // Skip the quoted field: "" inside is an escaped quote.
      i++;
      while (i < end && !(record[i] === DQUOTE && record[i + 1] !== DQUOTE)) i += record[i] === DQUOTE ? 2 : 1;
      i++;
    } else {
      while (i < end && record[i] !== COMMA) i++;
    }
    if (i >= end) return null;
    i++; // the comma
    field++;
  }
  if (record[i] !== DQUOTE) {
    let stop = i;
    while (stop < end && record[stop] !== COMMA) stop++;
    return record.toString('utf8', i, stop);
  }
  let text = '';
  let start = ++i;
  while (i < end) {
    if (record[i] === DQUOTE) {
      text += record.toString('utf8', start, i);
      if (record[i + 1] !== DQUOTE) return text;
      text += '"';
      i += 2;
      start = i;
    } else {
      i++;
    }
  }
  return text + record.toString('utf8', start, i);
}
