// Applies a desktop mode without restarting the app: `own` runs the relay
// in-process; `team` runs no relay here (the team holds the one 3CX token)
// and follows the team relay instead. The order matters: the own relay is
// stopped before the team is followed, so this desktop never holds a 3CX
// connection beside the team's leader, and switches run one after another.
import type { ClientModeView } from '../../relay/contract/ipc-team.js';

export interface ModeSwitcherDeps {
  own: { start(): Promise<void>; stop(): Promise<void> };
  team: { start(origin: string): void; stop(): void };
}

export interface ModeSwitcher {
  apply(mode: ClientModeView): Promise<void>;
  current(): ClientModeView | null;
}

const same = (a: ClientModeView | null, b: ClientModeView) =>
  a !== null && a.mode === b.mode && (a.mode === 'own' || (b.mode === 'team' && a.url === b.url));

export function createModeSwitcher(deps: ModeSwitcherDeps): ModeSwitcher {
  let current: ClientModeView | null = null;
  let chain: Promise<void> = Promise.resolve();

  const applyNow = async (next: ClientModeView) => {
    if (same(current, next)) return;
    const previous = current;
    if (previous?.mode === 'team') deps.team.stop();
    if (next.mode === 'team') {
      if (previous?.mode === 'own') await deps.own.stop();
      deps.team.start(next.url);
    } else {
      await deps.own.start();
    }
    current = next;
  };

  return {
    apply(mode) {
      const run = chain.then(() => applyNow(mode));
      chain = run.catch(() => undefined);
      return run;
    },
    current: () => current,
  };
}
