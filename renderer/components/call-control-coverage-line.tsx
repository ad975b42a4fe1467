// "Call Control monitors N of M extensions", with where an admin adds the rest.
import type { CallControlCoverage } from '../../relay/contract/api-types.js';

export function CallControlCoverageLine({ coverage }: { coverage: CallControlCoverage | null | undefined }) {
  if (!coverage) return null;
  return (
    <p className="coverage" aria-label="Call Control coverage">
      <strong>{coverage.summary}</strong>
      {coverage.hint && <span className="hint"> {coverage.hint}</span>}
    </p>
  );
}
