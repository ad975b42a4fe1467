// The live-call path, from the PBX to the relay's clients: the Call Control
// client's events become `call_event` frames on the event hub and are counted
// for the dashboard's day figures. Its call lists cover only the monitored
// DNs, so when a system-wide list is wired (`callsChanged`: the XAPI-backed
// ActiveCallsService) they only signal a change; without one they are
// published as `calls` frames themselves. Started and
// stopped with the upstream clients it listens to (relay/monitor/
// watched-upstreams.ts); the connection monitor beside it watches only their
// health. It detaches before the clients stop, so a shutdown publishes nothing.
import type { ActiveCall } from '../contract/api-types.js';
import type { FramePublisher } from '../events/event-hub.js';
import type { CallControlEvents, TypedEmitter } from '../pbx/upstream.js';

/** What is told about the live stream besides the hub (the call counter). */
export interface LiveCallObserver {
  callEvent(): void;
  callList(calls: readonly ActiveCall[]): void;
}

export interface LiveCallBridgeDeps {
  /** The Call Control client (or anything emitting its `event` and `calls`). */
  callControl: Pick<TypedEmitter<CallControlEvents>, 'on' | 'off'>;
  hub: FramePublisher;
  observer?: LiveCallObserver;
  /** Told that Call Control saw the calls change; the list it sends is partial. */
  callsChanged?: (partial: ActiveCall[]) => void;
}

export class LiveCallBridge {
  private detach: (() => void) | null = null;

  constructor(private readonly deps: LiveCallBridgeDeps) {}

  start(): void {
    if (this.detach) return;
    const { callControl: cc, hub, observer, callsChanged } = this.deps;
    const onEvent = (data: unknown): void => {
      hub.publish({ type: 'call_event', data });
      observer?.callEvent();
    };
    // Forwarded as they come: the client already coalesces `calls` (at most
    // one per interval, the last one always the final state, one at once after
    // a resync), so a client's latest `calls` frame is the current list.
    const onCalls = callsChanged ?? ((value: ActiveCall[]): void => {
      hub.publish({ type: 'calls', value });
      observer?.callList(value);
    });
    cc.on('event', onEvent);
    cc.on('calls', onCalls);
    this.detach = () => {
      cc.off('event', onEvent);
      cc.off('calls', onCalls);
    };
  }

  stop(): void {
    this.detach?.();
    this.detach = null;
  }
}
