// CSV text as the export writes it: byte-identical to csv-stringify with the
// options the export used before (header, default quoting, LF records) once
// formula cells have their `'` (OWASP's CSV-injection rule); every value
// survives a round trip through an RFC 4180 parser (formula cells read back
// with the `'`); and one field is read back out of a record.
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { FORMULA_START, csvField, csvFieldAt, csvRecords, neutraliseFormula } from '../../../relay/call-records/csv-text.js';
import { parseCsv } from '../../support/parse-csv.js';

// Strings rich in the characters that matter to CSV, plus arbitrary unicode.
const csvChar = fc.constantFrom(',', '"', '\r', '\n', ' ', 'a', 'Z', '0', ';', '\t', "'", '=', '+', '-', '@', 'é', '電', '😀');
const value = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.string({ unit: csvChar, maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);
const table = fc.integer({ min: 1, max: 6 }).chain((width) =>
  fc.record({ width: fc.constant(width), rows: fc.array(fc.array(value, { minLength: width, maxLength: width }), { maxLength: 8 }) }),
);

describe('CSV text for export batches', () => {
  it('quotes exactly the fields RFC 4180 needs quoted and doubles embedded quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Smith, John')).toBe('"Smith, John"');
    expect(csvField('The "Boss"')).toBe('"The ""Boss"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField(' spaced ')).toBe(' spaced ');
    expect(csvField('')).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvRecords([['1', null, 'x,y'], ['', '"', '2026-01-01T00:00:00.000Z']], 3)).toBe('1,,"x,y"\n,"""",2026-01-01T00:00:00.000Z\n');
    // Values beyond `width` are not written.
    expect(csvRecords([['a', 'b', 'c']], 2)).toBe('a,b\n');
  });

  it('prefixes a quote to every cell a spreadsheet would run as a formula, and to no other', () => {
    expect(FORMULA_START).toEqual(['=', '+', '-', '@', '\t', '\r']);
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvField('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvField('+49301234567')).toBe("'+49301234567");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('\r=1')).toBe('"\'\r=1"');
    for (const safe of ['a=1', ' =1', "'=1", '1-2', 'x@y', '\n=1']) expect(neutraliseFormula(safe)).toBe(safe);
  });

  it('writes the same bytes as csv-stringify did for any batch, formula cells prefixed', () => {
    fc.assert(
      fc.property(table, ({ width, rows }) => {
        const columns = Array.from({ length: width }, (_, i) => `c${i}`);
        const safe = (v: string | null) => (v === null ? v : neutraliseFormula(v));
        const reference = stringify(rows.map((r) => Object.fromEntries(r.map((v, i) => [`c${i}`, safe(v)]))), { header: true, columns });
        expect(csvRecords([columns], width) + csvRecords(rows, width)).toBe(reference);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips every value through an RFC 4180 parser (null reads back as empty, formula cells with their quote)', () => {
    fc.assert(
      fc.property(table, ({ width, rows }) => {
        const parsed = parseCsv(csvRecords(rows, width));
        expect(parsed).toEqual(rows.map((r) => r.map((v) => (v === null ? '' : neutraliseFormula(v)))));
      }),
      { numRuns: 500 },
    );
  });

  it('reads any field back out of a record as an RFC 4180 parser does', () => {
    fc.assert(
      fc.property(table, ({ width, rows }) => {
        for (const row of rows) {
          const record = Buffer.from(csvRecords([row], width), 'utf8');
          const [expected] = parseCsv(record.toString('utf8'));
          for (let i = 0; i < width; i++) expect(csvFieldAt(record, i)).toBe(expected![i]);
          expect(csvFieldAt(record, width)).toBeNull();
        }
      }),
      { numRuns: 500 },
    );
    expect(csvFieldAt(Buffer.from('a,"b,""c""\n",2026-01-01T00:00:00.000Z\n'), 2)).toBe('2026-01-01T00:00:00.000Z');
  });
});
