// Team mode (contract §7): which relays share the PostgreSQL store, which
// one leads (holds the 3CX connections) and since when, and how far each
// follower's stream is behind the leader's. The leader and this relay are
// named in words, never by colour alone.
import type { TeamHealth, TeamMember } from '../../relay/contract/api-types.js';
import { formatAge } from './freshness.js';
import { formatDateTime } from './format-time.js';
import { TableHead } from './table-head.js';

const COLUMNS = ['Member', 'Role', 'Address', 'In this role since', '#Lag (frames)', 'Last seen'] as const;

function lagText(member: TeamMember): string {
  if (member.role === 'leader') return '0';
  return String(member.lagSeq);
}

/** One line for the overview: "3 relays · leader: host-a:8443-x1 (this relay)". */
export function teamSummary(team: TeamHealth): string {
  const count = `${team.members.length} ${team.members.length === 1 ? 'relay' : 'relays'}`;
  if (team.leader === null) return `${count} · no leader: an election is under way`;
  return `${count} · leader: ${team.leader}${team.leader === team.self ? ' (this relay)' : ''}`;
}

export function TeamPanel({ team, now }: { team: TeamHealth; now: number }) {
  // The leader first, then followers by id: the order stays put while the lag changes.
  const members = [...team.members].sort((a, b) =>
    (a.id === team.leader ? -1 : b.id === team.leader ? 1 : a.id.localeCompare(b.id)));
  return (
    <section className="panel" aria-labelledby="team-title">
      <h2 id="team-title">Team</h2>
      <p>{teamSummary(team)}</p>
      {team.leader === null && (
        <p className="form-error" role="status">No relay holds the 3CX connections right now; one takes over within seconds.</p>
      )}
      <div className="table-scroll">
        <table className="data-table">
          <TableHead caption="Relays of the team" columns={COLUMNS} />
          <tbody>
            {members.map((m) => (
              <tr key={m.id} aria-current={m.id === team.self ? 'true' : undefined}>
                <th scope="row">
                  {m.id}
                  {m.id === team.self && <span className="muted"> (this relay)</span>}
                </th>
                <td>{m.id === team.leader ? <strong>Leader</strong> : m.role === 'leader' ? 'Leader (stale)' : 'Follower'}</td>
                <td>{m.url}</td>
                <td>{formatDateTime(m.since)}</td>
                <td className="num">{lagText(m)}</td>
                <td>{formatAge(now - Date.parse(m.seenAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">
        This relay holds {team.upstreamConnections} {team.upstreamConnections === 1 ? 'connection' : 'connections'} to
        3CX{team.self === team.leader ? '' : ' (a follower mirrors the leader and never calls 3CX)'}.
      </p>
    </section>
  );
}
