// Who is logged in to the queues: XAPI `Users` `QueueStatus`, one status per
// user (3CX has no per-queue login). Agents start logged in; `PATCH Users(Id)`
// and the agent churn of the generator change it, so a supervisor view has
// something to watch.
import { EventEmitter } from 'node:events';
import { QUEUES } from './pbx-directory.js';

export type QueueStatus = 'LoggedIn' | 'LoggedOut';

export class QueueAgents extends EventEmitter<{ changed: [dn: string, status: QueueStatus] }> {
  private readonly status = new Map<string, QueueStatus>();

  constructor() {
    super();
    for (const q of QUEUES) for (const dn of q.agents) this.status.set(dn, 'LoggedIn');
  }

  /** Extensions in no queue read as LoggedOut, as 3CX shows them. */
  get(dn: string): QueueStatus {
    return this.status.get(dn) ?? 'LoggedOut';
  }

  set(dn: string, status: QueueStatus): void {
    if (this.get(dn) === status) return;
    this.status.set(dn, status);
    this.emit('changed', dn, status);
  }

  /** Every extension that belongs to some queue. */
  members(): string[] {
    return [...new Set(QUEUES.flatMap((q) => q.agents))];
  }
}
