// The alert-rule form's fields as typed, and their check before anything is
// sent: one message per field, in words a supervisor understands. The relay
// checks again; this only spares a round trip.
import { ALERT_RULE_KINDS, type AlertRule, type AlertRuleInput, type AlertRuleKind, type QuietHours } from '../../relay/contract/supervisor-types.js';
import type { Severity } from '../../relay/contract/api-types.js';

export interface QuietDraft { days: number[]; from: string; to: string }

export interface RuleDraft {
  name: string;
  kind: AlertRuleKind;
  threshold: string;
  /** '' = any queue. */
  queueId: string;
  severity: Severity;
  quietHours: QuietDraft[];
  cooldownS: string;
  enabled: boolean;
}

export type RuleField = 'name' | 'threshold' | 'cooldownS' | `quiet-${number}`;
export type RuleErrors = Partial<Record<RuleField, string>>;

export const KIND_TEXT: Record<AlertRuleKind, { label: string; threshold: string | null; unit: string }> = {
  calls_waiting: { label: 'Calls waiting', threshold: 'Fires when calls waiting exceed', unit: 'calls' },
  longest_wait: { label: 'Longest wait', threshold: 'Fires when the longest wait exceeds', unit: 's' },
  service_level: { label: 'Service level this hour', threshold: 'Fires when the service level falls below', unit: '%' },
  agents_available: { label: 'Agents available', threshold: 'Fires when agents available fall below', unit: 'agents' },
  trunk_down: { label: 'Trunk down', threshold: null, unit: '' },
  upstream_down: { label: 'Upstream disconnected', threshold: 'Fires when a link is down longer than', unit: 's' },
};

/** Kinds about a queue: the rest watch the PBX or the relay's links. */
export const QUEUE_KINDS: readonly AlertRuleKind[] = ['calls_waiting', 'longest_wait', 'service_level', 'agents_available'];

export const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export const emptyDraft = (): RuleDraft => ({
  name: '', kind: ALERT_RULE_KINDS[0], threshold: '', queueId: '', severity: 'warning', quietHours: [], cooldownS: '300', enabled: true,
});

export function draftOf(rule: AlertRule): RuleDraft {
  return {
    name: rule.name, kind: rule.kind, threshold: String(rule.threshold), queueId: rule.queueId === null ? '' : String(rule.queueId),
    severity: rule.severity, quietHours: rule.quietHours.map((q) => ({ days: [...q.days], from: q.from, to: q.to })),
    cooldownS: String(rule.cooldownS), enabled: rule.enabled,
  };
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const WHOLE = /^\d+$/;

export function checkDraft(draft: RuleDraft): { input: AlertRuleInput | null; errors: RuleErrors } {
  const errors: RuleErrors = {};
  const name = draft.name.trim();
  if (name === '') errors.name = 'Give the rule a name.';
  else if (name.length > 100) errors.name = 'At most 100 characters.';

  const needsThreshold = KIND_TEXT[draft.kind].threshold !== null;
  let threshold = 0;
  if (needsThreshold) {
    const text = draft.threshold.trim();
    threshold = Number(text);
    if (text === '' || !WHOLE.test(text)) errors.threshold = 'Enter a whole number, 0 or more.';
    else if (draft.kind === 'service_level' && threshold > 100) errors.threshold = 'A service level is between 0 and 100 %.';
  }

  const cooldown = draft.cooldownS.trim();
  if (!WHOLE.test(cooldown)) errors.cooldownS = 'Enter whole seconds, 0 or more.';
  else if (Number(cooldown) > 86_400) errors.cooldownS = 'At most 86400 seconds (one day).';

  const quietHours: QuietHours[] = [];
  draft.quietHours.forEach((q, i) => {
    if (q.days.length === 0) errors[`quiet-${i}`] = 'Pick at least one day.';
    else if (!TIME.test(q.from) || !TIME.test(q.to)) errors[`quiet-${i}`] = 'Times are HH:MM, e.g. 18:00.';
    else if (q.from === q.to) errors[`quiet-${i}`] = 'The window starts and ends at the same time.';
    quietHours.push({ days: [...q.days].sort((a, b) => a - b), from: q.from, to: q.to });
  });

  if (Object.keys(errors).length > 0) return { input: null, errors };
  const queueKind = QUEUE_KINDS.includes(draft.kind);
  return {
    errors,
    input: {
      name, kind: draft.kind, threshold, queueId: queueKind && draft.queueId !== '' ? Number(draft.queueId) : null,
      severity: draft.severity, quietHours, cooldownS: Number(cooldown), enabled: draft.enabled,
    },
  };
}

export function describeRule(rule: AlertRuleInput): string {
  const text = KIND_TEXT[rule.kind];
  if (text.threshold === null) return 'Fires when a trunk is not registered';
  return `${text.threshold} ${rule.threshold} ${text.unit}`;
}

export function describeQuiet(q: QuietHours): string {
  return `${q.days.map((d) => DAY_NAMES[d] ?? '?').join(', ')} ${q.from}–${q.to}`;
}
