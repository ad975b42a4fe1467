// CSV formatting of export batches: byte-identical to csv-stringify with the
// options the export used before (header, default quoting, LF records), and
// every value survives a round trip through an RFC 4180 parser written here.
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecords } from '../../../relay/call-records/csv-text.js';

/** A strict RFC 4180 reader (LF, CR or CRLF between records), the test's own reference. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
        if (i < text.length && !',\r\n'.includes(text[i] as string)) throw new Error(`text after a closing quote at ${i}`);
      } else {
        field += c;
        i++;
      }
    } else if (c === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

// Strings rich in the characters that matter to CSV, plus arbitrary unicode.
const csvChar = fc.constantFrom(',', '"', '\r', '\n', ' ', 'a', 'Z', '0', ';', '\t', "'", '=', 'é', '電', '😀');
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
    expect(csvField('=1+1')).toBe('=1+1');
    expect(csvField('')).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvRecords([['1', null, 'x,y'], ['', '"', '2026-01-01T00:00:00.000Z']], 3)).toBe('1,,"x,y"\n,"""",2026-01-01T00:00:00.000Z\n');
    // Values beyond `width` are not written.
    expect(csvRecords([['a', 'b', 'c']], 2)).toBe('a,b\n');
  });

  it('writes the same bytes as csv-stringify did for any batch', () => {
    fc.assert(
      fc.property(table, ({ width, rows }) => {
        const columns = Array.from({ length: width }, (_, i) => `c${i}`);
        const reference = stringify(rows.map((r) => Object.fromEntries(r.map((v, i) => [`c${i}`, v]))), { header: true, columns });
        expect(csvRecords([columns], width) + csvRecords(rows, width)).toBe(reference);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips every value through an RFC 4180 parser (null reads back as empty)', () => {
    fc.assert(
      fc.property(table, ({ width, rows }) => {
        const parsed = parseCsv(csvRecords(rows, width));
        expect(parsed).toEqual(rows.map((r) => r.map((v) => v ?? '')));
      }),
      { numRuns: 500 },
    );
  });
});
