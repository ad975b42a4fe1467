// One queue on the wallboard. Its key is the queue id, so a new frame only
// changes the text inside; figures have fixed widths (tabular numbers), so
// nothing moves. The longest wait ticks locally between updates.
import type { QueueFigures } from '../../relay/contract/supervisor-types.js';
import { formatDuration } from './format-time.js';
import { freshness } from './freshness.js';
import { QUEUE_STATUS_TEXT, queueStatus } from './queue-status.js';
import { SourcedFigure } from './sourced-figure.js';

/** Seconds the longest caller has waited by `now`: the relay's figure plus the time since, while it is live. */
export function longestWaitNow(queue: QueueFigures, now: number): number {
  const { value, asOf } = queue.longestWaitS;
  if (value <= 0 || asOf === null || freshness(queue.longestWaitS, now).stale) return value;
  return value + Math.max(0, (now - Date.parse(asOf)) / 1000);
}

const percent = (value: number | null): string => (value === null ? '—' : `${Math.round(value)} %`);

export function QueueTile({ queue, now }: { queue: QueueFigures; now: number }) {
  const waitS = longestWaitNow(queue, now);
  const status = queueStatus(queue, waitS);
  const text = QUEUE_STATUS_TEXT[status];
  const titleId = `queue-${queue.id}-title`;
  return (
    <article className={`queue-tile queue-${status}`} aria-labelledby={titleId}>
      <header className="queue-tile-head">
        <h2 id={titleId}>{queue.name} <span className="queue-number">{queue.number}</span></h2>
        <span className={`queue-state queue-state-${status}`} title={text.meaning}>
          <span aria-hidden="true">{text.icon}</span> {text.label}
        </span>
      </header>
      <dl className="queue-figures">
        <SourcedFigure big label="Calls waiting" source={queue.callsWaiting} now={now}>{queue.callsWaiting.value}</SourcedFigure>
        <SourcedFigure big label="Longest wait" source={queue.longestWaitS} now={now}>{formatDuration(waitS * 1000)}</SourcedFigure>
        <SourcedFigure label="Agents available" source={queue.agentsAvailable} now={now}>{queue.agentsAvailable.value}</SourcedFigure>
        <SourcedFigure label="Agents busy" source={queue.agentsBusy} now={now}>{queue.agentsBusy.value}</SourcedFigure>
        <SourcedFigure label="Agents logged in" source={queue.agentsLoggedIn} now={now}>{queue.agentsLoggedIn.value}</SourcedFigure>
        <SourcedFigure label="Answered today" source={queue.answeredToday} now={now}>{queue.answeredToday.value}</SourcedFigure>
        <SourcedFigure label="Abandoned today" source={queue.abandonedToday} now={now}>{queue.abandonedToday.value}</SourcedFigure>
        <SourcedFigure label={`Service level (${queue.slaSeconds} s)`} source={queue.serviceLevelToday} now={now}>
          {percent(queue.serviceLevelToday.value)}
        </SourcedFigure>
      </dl>
    </article>
  );
}
