// OWASP's CSV-injection rule, shared by the JavaScript CSV writer
// (call-records/csv-text.ts) and the SQL that has PostgreSQL write the export
// (pbx/cdr-repository.ts), so the two can never prefix different cells.

/**
 * First characters that make a spreadsheet read a cell as a formula: `=`,
 * `+`, `-`, `@`, tab and CR (OWASP CSV injection; the contract's §2 rule).
 */
export const FORMULA_START: readonly string[] = ['=', '+', '-', '@', '\t', '\r'];
