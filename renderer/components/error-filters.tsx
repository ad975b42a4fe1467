// Component / severity / acknowledged filters for the error feed.
import { ERROR_COMPONENTS, SEVERITIES, type ErrorComponent, type Severity } from '../../relay/contract/api-types.js';
import { COMPONENT_LABELS } from './component-names.js';

export interface ErrorFilterValue {
  component: ErrorComponent | '';
  severity: Severity | '';
  acknowledged: 'false' | 'true' | '';
}

export const DEFAULT_ERROR_FILTERS: ErrorFilterValue = { component: '', severity: '', acknowledged: 'false' };

export function ErrorFilters({ value, onChange }: { value: ErrorFilterValue; onChange: (next: ErrorFilterValue) => void }) {
  return (
    <form className="filters" role="search" aria-label="Filter errors" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="filter-component">Component</label>
        <select id="filter-component" value={value.component}
          onChange={(e) => onChange({ ...value, component: e.target.value as ErrorFilterValue['component'] })}>
          <option value="">All components</option>
          {ERROR_COMPONENTS.map((c) => <option key={c} value={c}>{COMPONENT_LABELS[c]}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-severity">Severity</label>
        <select id="filter-severity" value={value.severity}
          onChange={(e) => onChange({ ...value, severity: e.target.value as ErrorFilterValue['severity'] })}>
          <option value="">All severities</option>
          {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-acknowledged">Status</label>
        <select id="filter-acknowledged" value={value.acknowledged}
          onChange={(e) => onChange({ ...value, acknowledged: e.target.value as ErrorFilterValue['acknowledged'] })}>
          <option value="false">Unacknowledged</option>
          <option value="true">Acknowledged</option>
          <option value="">All</option>
        </select>
      </div>
    </form>
  );
}
