// The way back when the desktop is a team relay's client and cannot get in
// (signed out, or the team relay does not answer): Settings sit behind the
// sign-in, so the switch to this computer's own relay is offered right here.
import type { DesktopOperations } from '../../relay/contract/ipc-channels.js';
import { useAsyncAction } from '../hooks/use-async-action.js';

export function TeamEscape({ desktop, reload }: { desktop: Pick<DesktopOperations, 'useOwnRelay'>; reload: () => void }) {
  const action = useAsyncAction();
  const leave = () => action.run(async () => {
    const result = await desktop.useOwnRelay();
    if (result.reload) reload();
  });
  return (
    <aside className="panel narrow" aria-labelledby="team-escape-title">
      <h2 id="team-escape-title">Connected to a team relay</h2>
      <p>This desktop is set up as a client of a team relay. You can run this computer's own relay instead.</p>
      {action.error && <p className="form-error" role="alert">{action.error}</p>}
      <button type="button" onClick={() => void leave()} disabled={action.busy}>
        {action.busy ? 'Switching…' : 'Run my own relay instead'}
      </button>
    </aside>
  );
}
