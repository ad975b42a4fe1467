// The live frames of a team relay, for the window in team mode: the main
// process opens the relay's WebSocket with a dashboard ticket (POST
// /admin/ws-ticket with the session it keeps) and hands each frame to the
// window over the same IPC event the own relay uses. The window could not
// open it itself: it reaches no network. The reconnect logic (ticket per
// attempt, `?since=` the last seq, backoff, resync detection) is the
// browser dashboard's own LiveSocket, so both behave the same across a
// team failover.
import type { RelayFrame } from '../../relay/contract/api-types.js';
import type { TeamHttpRequest, TeamHttpResponse } from '../../relay/contract/ipc-team.js';
import { WS_PATH } from '../../relay/contract/routes.js';
import { LiveSocket } from '../../renderer/client/live-socket.js';

class SignedOut extends Error {}

export interface TeamFrameLink {
  start(): void;
  stop(): void;
}

export function createTeamFrameLink(deps: {
  origin: string;
  request: (req: TeamHttpRequest) => Promise<TeamHttpResponse>;
  /** A WebSocket with the browser's interface (the `ws` package in the main process). */
  createSocket: (url: string) => WebSocket;
  onFrame: (frame: RelayFrame) => void;
  /** The session ended: the link stops until the person signs in again. */
  onSignedOut?: () => void;
}): TeamFrameLink {
  const wsBase = deps.origin.replace(/^http/, 'ws');
  const live = new LiveSocket({
    getTicket: async () => {
      const answer = await deps.request({ method: 'POST', path: '/admin/ws-ticket' });
      if (answer.status === 401) throw new SignedOut('signed out of the team relay');
      if (answer.status !== 201 && answer.status !== 200) throw new Error(`ws-ticket answered ${answer.status}`);
      return (JSON.parse(answer.body) as { ticket: string }).ticket;
    },
    socketUrl: (ticket, since) => {
      const query = new URLSearchParams({ ticket });
      if (since !== null) query.set('since', String(since));
      return `${wsBase}${WS_PATH}?${query.toString()}`;
    },
    createSocket: deps.createSocket,
    isSignedOutError: (e) => e instanceof SignedOut,
  });
  live.frames.add((frame) => deps.onFrame(frame));
  live.signedOut.add(() => deps.onSignedOut?.());
  return {
    start: () => live.start(),
    stop: () => live.stop(),
  };
}
