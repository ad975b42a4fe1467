// What api-types.ts and supervisor-types.ts both build on. A leaf, so that
// api-types.ts can carry the supervisor frames without an import cycle;
// api-types.ts re-exports everything here, so importers need not change.

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** "Call Control monitors N of M extensions". */
export interface CallControlCoverage {
  /** Extension DNs in Call Control's full state (GET /callcontrol). */
  monitoredExtensions: number;
  /** Users (extensions) in XAPI; null while unknown. */
  totalExtensions: number | null;
  /** The line to show, e.g. "Call Control monitors 3 of 40 extensions". */
  summary: string;
  /** Where an admin adds the rest; null when every extension is monitored. */
  hint: string | null;
}
