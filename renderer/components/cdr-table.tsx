// One page of call records (3CX `cdroutput` rows).
import type { Cdr } from '../../relay/contract/api-types.js';
import { formatDateTime, formatDuration } from './format-time.js';
import { TableHead } from './table-head.js';

function party(name: string | null, phone: string | null, dn: string | null): string {
  const number = phone || dn || '';
  if (name && number && name !== number) return `${name} (${number})`;
  return name || number || '—';
}

function talkTime(row: Cdr): string {
  if (!row.cdr_answered_at || !row.cdr_ended_at) return '—';
  return formatDuration(Date.parse(row.cdr_ended_at) - Date.parse(row.cdr_answered_at));
}

export function CdrTable({ rows }: { rows: readonly Cdr[] }) {
  return (
    <table className="data-table">
      <TableHead caption="Call records" columns={['Started', 'From', 'To', 'Answered', '#Talk time', 'Ended because']} />
      <tbody>
        {rows.map((row) => (
          <tr key={row.cdr_id}>
            <td className="nowrap">{formatDateTime(row.cdr_started_at)}</td>
            <td>{party(row.source_participant_name ?? row.source_dn_name, row.source_participant_phone_number, row.source_dn_number)}</td>
            <td>{party(row.destination_participant_name ?? row.destination_dn_name, row.destination_participant_phone_number, row.destination_dn_number)}</td>
            <td>{row.cdr_answered_at ? 'yes' : 'no'}</td>
            <td className="num mono">{talkTime(row)}</td>
            <td>{row.termination_reason ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
