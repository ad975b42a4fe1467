// The PBX's health: version, licence, extensions and trunks registered of
// all. Live figures (the relay's PBX overview, refreshed with the age of its
// data, greyed out once stale) when the relay serves them; otherwise XAPI
// SystemStatus as read at the relay's last (re)connect, with what the
// version means (e.g. no call records before 20.0.6).
import type { PbxStatus } from '../../relay/contract/api-types.js';
import type { PbxOverview } from '../../relay/contract/supervisor-types.js';
import { formatAge, freshness } from './freshness.js';

const count = (registered: number | null, total: number | null): string =>
  registered === null && total === null ? '—' : `${registered ?? '?'} of ${total ?? '?'} registered`;

const licence = (active: boolean | null): string => (active === null ? 'unknown' : active ? 'active' : 'inactive');

export interface PbxStatusPanelProps {
  pbx: PbxStatus | null | undefined;
  /** The live overview; null or absent when the relay does not serve it. */
  live?: PbxOverview | null;
  now?: number;
}

function Age({ text }: { text: string }) {
  return <span className="figure-age">{text}</span>;
}

export function PbxStatusPanel({ pbx, live, now = Date.now() }: PbxStatusPanelProps) {
  if (!pbx && !live) return <p className="muted">The PBX has not reported its version yet.</p>;
  const f = live ? freshness(live, now) : null;
  const snapshotAge = pbx ? `read at connect, ${formatAge(now - Date.parse(pbx.asOf))}` : '';
  const age = <Age text={f ? f.label : snapshotAge} />;
  const version = live?.version ?? pbx?.version ?? null;
  const licenseActive = live ? live.licenseActive : (pbx?.licenseActive ?? null);
  const extensions = live?.extensions ?? pbx?.extensions ?? { registered: null, total: null };
  const trunks = live?.trunks ?? pbx?.trunks ?? { registered: null, total: null };
  const trunkDown = trunks.registered !== null && trunks.total !== null && trunks.registered < trunks.total;
  return (
    <>
      <dl className={`pbx-status${f?.stale ? ' figure-stale' : ''}`}>
        <dt>Version</dt><dd>{version ?? 'unknown'} {age}</dd>
        <dt>Licence</dt><dd>{licence(licenseActive)}{pbx?.productCode ? ` (${pbx.productCode})` : ''} {age}</dd>
        {pbx && <><dt>Simultaneous calls</dt><dd>{pbx.maxSimCalls ?? '—'}</dd></>}
        <dt>Extensions</dt><dd>{count(extensions.registered, extensions.total)} {age}</dd>
        <dt>Trunks</dt>
        <dd>
          {count(trunks.registered, trunks.total)}
          {trunkDown && <span className="badge badge-bad"><span aria-hidden="true">✖ </span>trunk down</span>} {age}
        </dd>
      </dl>
      {pbx?.notices.map((n) => <p key={n.code} className="component-error" role="note">{n.message}</p>)}
    </>
  );
}
