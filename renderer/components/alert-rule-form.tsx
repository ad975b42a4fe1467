// Create or edit an alert rule, in a dialog: kind, threshold, queue,
// severity, quiet-hours windows, cool-down, enabled. Messages sit under the
// field they are about and are tied to it for screen readers.
import { useId, useState, type FormEvent } from 'react';
import { SEVERITIES, type Severity } from '../../relay/contract/api-types.js';
import { ALERT_RULE_KINDS, type AlertRuleInput, type AlertRuleKind, type QueueFigures } from '../../relay/contract/supervisor-types.js';
import { useAsyncAction } from '../hooks/use-async-action.js';
import {
  checkDraft, DAY_NAMES, KIND_TEXT, QUEUE_KINDS, type QuietDraft, type RuleDraft, type RuleErrors, type RuleField,
} from './alert-rule-draft.js';
import { Dialog } from './dialog.js';

export interface AlertRuleFormProps {
  title: string;
  initial: RuleDraft;
  queues: readonly QueueFigures[];
  onSave: (input: AlertRuleInput) => Promise<void>;
  onClose: () => void;
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? <span id={id} className="form-error field-error">{message}</span> : null;
}

export function AlertRuleForm({ title, initial, queues, onSave, onClose }: AlertRuleFormProps) {
  const [draft, setDraft] = useState<RuleDraft>(initial);
  const [errors, setErrors] = useState<RuleErrors>({});
  const action = useAsyncAction();
  const uid = useId();
  const idOf = (field: string) => `${uid}-${field}`;
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setQuiet = (i: number, change: Partial<QuietDraft>) =>
    setDraft((d) => ({ ...d, quietHours: d.quietHours.map((q, j) => (j === i ? { ...q, ...change } : q)) }));
  const described = (field: RuleField, hint?: string) => {
    const ids = [errors[field] ? `${idOf(field)}-error` : null, hint ?? null].filter((x) => x !== null).join(' ');
    return { 'aria-invalid': errors[field] ? true : undefined, 'aria-describedby': ids === '' ? undefined : ids };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = checkDraft(draft);
    setErrors(checked.errors);
    if (!checked.input) return;
    const input = checked.input;
    if (await action.run(() => onSave(input))) onClose();
  };

  const kindText = KIND_TEXT[draft.kind];
  return (
    <Dialog title={title} onClose={onClose}>
      <form className="stack-form rule-form" noValidate onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={idOf('name')}>Name</label>
          <input id={idOf('name')} value={draft.name} onChange={(e) => set('name', e.target.value)} maxLength={120} {...described('name')} />
          <FieldError id={`${idOf('name')}-error`} message={errors.name} />
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor={idOf('kind')}>Kind</label>
            <select id={idOf('kind')} value={draft.kind} onChange={(e) => set('kind', e.target.value as AlertRuleKind)}>
              {ALERT_RULE_KINDS.map((k) => <option key={k} value={k}>{KIND_TEXT[k].label}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={idOf('severity')}>Severity</label>
            <select id={idOf('severity')} value={draft.severity} onChange={(e) => set('severity', e.target.value as Severity)}>
              {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </div>
        </div>
        {kindText.threshold !== null && (
          <div className="field">
            <label htmlFor={idOf('threshold')}>Threshold ({kindText.unit})</label>
            <input id={idOf('threshold')} inputMode="numeric" value={draft.threshold} onChange={(e) => set('threshold', e.target.value)}
              {...described('threshold', `${idOf('threshold')}-hint`)} />
            <span id={`${idOf('threshold')}-hint`} className="hint">{kindText.threshold} this many {kindText.unit}.</span>
            <FieldError id={`${idOf('threshold')}-error`} message={errors.threshold} />
          </div>
        )}
        {QUEUE_KINDS.includes(draft.kind) && (
          <div className="field">
            <label htmlFor={idOf('queue')}>Queue</label>
            <select id={idOf('queue')} value={draft.queueId} onChange={(e) => set('queueId', e.target.value)}>
              <option value="">Any queue</option>
              {queues.map((q) => <option key={q.id} value={String(q.id)}>{q.name} ({q.number})</option>)}
            </select>
          </div>
        )}
        <fieldset className="field">
          <legend>Quiet hours</legend>
          <span className="hint">Inside these windows the rule records alerts but sends no notification. A window may span midnight (22:00–06:00).</span>
          {draft.quietHours.map((q, i) => (
            <div key={i} className="quiet-window" role="group" aria-label={`Quiet window ${i + 1}`} {...described(`quiet-${i}`)}>
              <div className="day-picks">
                {DAY_NAMES.map((day, d) => (
                  <label key={day} className="check">
                    <input type="checkbox" checked={q.days.includes(d)}
                      onChange={(e) => setQuiet(i, { days: e.target.checked ? [...q.days, d] : q.days.filter((x) => x !== d) })} />
                    {day}
                  </label>
                ))}
              </div>
              <label className="check">From <input type="time" value={q.from} onChange={(e) => setQuiet(i, { from: e.target.value })} /></label>
              <label className="check">to <input type="time" value={q.to} onChange={(e) => setQuiet(i, { to: e.target.value })} /></label>
              <button type="button" className="small" onClick={() => set('quietHours', draft.quietHours.filter((_, j) => j !== i))}
                aria-label={`Remove quiet window ${i + 1}`}>
                Remove
              </button>
              <FieldError id={`${idOf(`quiet-${i}`)}-error`} message={errors[`quiet-${i}`]} />
            </div>
          ))}
          <button type="button" className="small add-quiet"
            onClick={() => set('quietHours', [...draft.quietHours, { days: [1, 2, 3, 4, 5], from: '18:00', to: '08:00' }])}>
            Add a quiet window
          </button>
        </fieldset>
        <div className="field">
          <label htmlFor={idOf('cooldownS')}>Cool-down (seconds)</label>
          <input id={idOf('cooldownS')} inputMode="numeric" value={draft.cooldownS} onChange={(e) => set('cooldownS', e.target.value)}
            {...described('cooldownS', `${idOf('cooldownS')}-hint`)} />
          <span id={`${idOf('cooldownS')}-hint`} className="hint">After clearing, the rule stays quiet this long before it may fire again.</span>
          <FieldError id={`${idOf('cooldownS')}-error`} message={errors.cooldownS} />
        </div>
        <label className="check">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Enabled
        </label>
        {action.error && <p className="form-error" role="alert">{action.error}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={action.busy}>{action.busy ? 'Saving…' : 'Save rule'}</button>
        </div>
      </form>
    </Dialog>
  );
}
