// CSV text (RFC 4180) for rows of text values, a whole batch per call. The
// rules are exactly csv-stringify's defaults, which the export used before
// (and whose bytes the tests still compare against): a field is quoted when it
// holds a comma, a double quote, CR or LF; embedded quotes are doubled; null
// and '' are both an empty field; records end in a bare LF. Nothing else is
// touched (no trimming, no formula escaping), so values round-trip exactly.
// One string per batch instead of one stream chunk per row is what makes the
// export cheap: a million rows are a thousand writes, not a million.

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/** One field as CSV text. */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replace(QUOTE, '""')}"` : value;
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
