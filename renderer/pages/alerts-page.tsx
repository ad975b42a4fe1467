// Alert rules (an admin edits them; a viewer reads them) and the alert
// history: fired, cleared, acknowledged by whom and when, and whether quiet
// hours silenced the notification. Anyone signed in may acknowledge.
import { useState } from 'react';
import type { AlertEntry, AlertRule } from '../../relay/contract/supervisor-types.js';
import type { SupervisorOperations } from '../client/supervisor-operations.js';
import { describeQuiet, describeRule, draftOf, emptyDraft } from '../components/alert-rule-draft.js';
import { AlertRuleForm } from '../components/alert-rule-form.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { formatMoment } from '../components/format-time.js';
import { EmptyState } from '../components/page-state.js';
import { ResourceBody } from '../components/resource-body.js';
import { SupervisorUnavailable } from '../components/supervisor-unavailable.js';
import { TableHead } from '../components/table-head.js';
import { useIsAdmin } from '../hooks/relay-context.js';
import { useAsyncAction } from '../hooks/use-async-action.js';
import { useResource } from '../hooks/use-resource.js';
import { useSupervisor } from '../hooks/use-supervisor.js';

const RULE_COLUMNS = ['Rule', 'Condition', 'Queue', 'Severity', 'Quiet hours', '#Cool-down', 'Enabled'];
const HISTORY_COLUMNS = ['Fired', 'Rule', 'Message', 'State', 'Notification', null];
const STATE_TEXT = { fired: 'Fired', cleared: 'Cleared', acknowledged: 'Acknowledged' } as const;

type Editing = { rule: AlertRule | null } | null;

function AcknowledgeButton({ entry, supervisor, onDone }: { entry: AlertEntry; supervisor: SupervisorOperations; onDone: () => void }) {
  const action = useAsyncAction();
  return (
    <>
      <button type="button" className="small" disabled={action.busy}
        onClick={() => void action.run(async () => { await supervisor.acknowledgeAlert(entry.id); }).then((ok) => ok && onDone())}
        aria-label={`Acknowledge ${entry.rule}`}>
        Acknowledge
      </button>
      {action.error && <span className="form-error" role="alert">{action.error}</span>}
    </>
  );
}

function HistoryState({ entry }: { entry: AlertEntry }) {
  return (
    <>
      <span className={`badge ${entry.state === 'fired' ? 'badge-bad' : entry.state === 'cleared' ? 'badge-idle' : 'badge-good'}`}>{STATE_TEXT[entry.state]}</span>
      {entry.clearedAt && <span className="muted"> cleared {formatMoment(entry.clearedAt)}</span>}
      {entry.acknowledgedAt && <span className="muted"> by {entry.acknowledgedBy ?? 'someone'} at {formatMoment(entry.acknowledgedAt)}</span>}
    </>
  );
}

export function AlertsPage() {
  const supervisor = useSupervisor();
  const isAdmin = useIsAdmin();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const rules = useResource(() => supervisor?.listAlertRules() ?? Promise.resolve([]), [supervisor]);
  const history = useResource(() => supervisor?.listAlerts({ limit: 100 }) ?? Promise.resolve([]), [supervisor], {
    pollMs: supervisor ? 15_000 : 0,
    refreshOn: (f) => f.type === 'alert',
  });
  const queues = useResource(() => supervisor?.queues() ?? Promise.resolve([]), [supervisor]);

  if (supervisor === null) {
    return (
      <>
        <h1 tabIndex={-1}>Alerts</h1>
        <SupervisorUnavailable what="alerts" />
      </>
    );
  }
  const queueName = (id: number | null) => {
    if (id === null) return 'Any';
    const q = queues.data?.find((x) => x.id === id);
    return q ? `${q.name} (${q.number})` : `#${id}`;
  };

  return (
    <>
      <h1 tabIndex={-1}>Alerts</h1>
      <p className="page-notice" role="status">{notice}</p>
      <section className="panel" aria-labelledby="rules-title">
        <div className="toolbar">
          <h2 id="rules-title">Rules</h2>
          {isAdmin && <button type="button" className="primary" onClick={() => setEditing({ rule: null })}>New rule</button>}
        </div>
        <ResourceBody resource={rules} what="alert rules" isEmpty={(list) => list.length === 0}
          empty={<EmptyState title="No alert rules.">{isAdmin ? 'Add one with “New rule”.' : 'An admin sets them up.'}</EmptyState>}>
          {(list) => (
            <div className="table-scroll">
              <table className="data-table">
                <TableHead caption="Alert rules" columns={isAdmin ? [...RULE_COLUMNS, null] : RULE_COLUMNS} />
                <tbody>
                  {list.map((rule) => (
                    <tr key={rule.id} className={rule.enabled ? undefined : 'inactive'}>
                      <td>{rule.name}</td>
                      <td>{describeRule(rule)}</td>
                      <td>{queueName(rule.queueId)}</td>
                      <td><span className={`severity severity-${rule.severity}`}>{rule.severity}</span></td>
                      <td>{rule.quietHours.length === 0 ? <span className="muted">none</span> : rule.quietHours.map(describeQuiet).join('; ')}</td>
                      <td className="num">{rule.cooldownS} s</td>
                      <td>{rule.enabled ? 'Yes' : 'No'}</td>
                      {isAdmin && (
                        <td>
                          <div className="row-actions">
                            <button type="button" className="small" onClick={() => setEditing({ rule })} aria-label={`Edit ${rule.name}`}>
                              Edit
                            </button>
                            <button type="button" className="small danger" onClick={() => setDeleting(rule)} aria-label={`Delete ${rule.name}`}>
                              Delete
                            </button>
                          </div>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ResourceBody>
      </section>

      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <ResourceBody resource={history} what="alert history" isEmpty={(list) => list.length === 0}
          empty={<EmptyState title="No alerts yet." />}>
          {(list) => (
            <div className="table-scroll">
              <table className="data-table">
                <TableHead caption="Alert history, newest first" columns={HISTORY_COLUMNS} />
                <tbody>
                  {list.map((entry) => (
                    <tr key={entry.id}>
                      <td className="nowrap"><time dateTime={entry.firedAt}>{formatMoment(entry.firedAt)}</time></td>
                      <td><span className={`severity severity-${entry.severity}`}>{entry.severity}</span> {entry.rule}</td>
                      <td>{entry.message}</td>
                      <td><HistoryState entry={entry} /></td>
                      <td>{entry.silenced ? <span className="badge badge-idle">Silenced (quiet hours)</span> : 'Sent'}</td>
                      <td>
                        <div className="row-actions">
                          {entry.acknowledgedAt === null && <AcknowledgeButton entry={entry} supervisor={supervisor} onDone={history.reload} />}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ResourceBody>
      </section>

      {editing && (
        <AlertRuleForm title={editing.rule ? `Edit “${editing.rule.name}”` : 'New alert rule'}
          initial={editing.rule ? draftOf(editing.rule) : emptyDraft()} queues={queues.data ?? []}
          onClose={() => setEditing(null)}
          onSave={async (input) => {
            if (editing.rule) await supervisor.updateAlertRule(editing.rule.id, input);
            else await supervisor.createAlertRule(input);
            setNotice(`Rule “${input.name}” saved.`);
            rules.reload();
          }} />
      )}
      {deleting && (
        <ConfirmDialog title="Delete this rule?" confirmLabel="Delete rule" onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await supervisor.deleteAlertRule(deleting.id);
            setNotice(`Rule “${deleting.name}” deleted.`);
            rules.reload();
          }}>
          <p>The rule <strong>{deleting.name}</strong> stops watching. Its past alerts stay in the history.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
