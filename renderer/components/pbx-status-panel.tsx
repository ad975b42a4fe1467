// The PBX as XAPI SystemStatus described it at the relay's last (re)connect:
// version, licence, extensions and trunks, and what the version means (e.g.
// no call records before 20.0.6).
import type { PbxStatus } from '../../relay/contract/api-types.js';

const count = (registered: number | null, total: number | null): string =>
  registered === null && total === null ? '—' : `${registered ?? '?'} of ${total ?? '?'} registered`;

const licence = (active: boolean | null): string => (active === null ? 'unknown' : active ? 'active' : 'inactive');

export function PbxStatusPanel({ pbx }: { pbx: PbxStatus | null | undefined }) {
  if (!pbx) return <p className="muted">The PBX has not reported its version yet.</p>;
  return (
    <>
      <dl className="pbx-status">
        <dt>Version</dt><dd>{pbx.version ?? 'unknown'}</dd>
        <dt>Licence</dt><dd>{licence(pbx.licenseActive)}{pbx.productCode ? ` (${pbx.productCode})` : ''}</dd>
        <dt>Simultaneous calls</dt><dd>{pbx.maxSimCalls ?? '—'}</dd>
        <dt>Extensions</dt><dd>{count(pbx.extensions.registered, pbx.extensions.total)}</dd>
        <dt>Trunks</dt><dd>{count(pbx.trunks.registered, pbx.trunks.total)}</dd>
      </dl>
      {pbx.notices.map((n) => <p key={n.code} className="component-error" role="note">{n.message}</p>)}
    </>
  );
}
