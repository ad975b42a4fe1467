// Types both api-types.ts and supervisor-types.ts use: here so neither
// imports the other (api-types' frame unions name the supervisor's figures,
// and the cycle check counts type-only imports).

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

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
