// bcrypt for admin passwords (bcryptjs: pure JS, no native build). The cost
// is a parameter so tests can run at the minimum while production uses 12.
//
// At cost 12 one hash or compare is ~200 ms of pure JS; on the main thread
// that stalls WebSocket delivery and every REST answer for everyone during
// each login (the soak saw it). So the work runs in one worker thread,
// started on first use. The worker is unref'd while idle so it never keeps
// the process alive, and ref'd while a job is in flight so an answer is not
// lost to an early exit. stop() terminates it.
//
// The worker is fed one job at a time from two bounded lanes. `priority`
// (sign-ins with a valid device token, password changes an admin makes) is
// always served before `open` (everything a stranger or any signed-in
// viewer can trigger: untrusted sign-ins, unknown names, current-password
// checks). A full lane answers 503 at once instead of queueing: an unbounded
// queue let 40 parallel checks delay an admin's sign-in by 11.5 s.
import crypto from 'node:crypto';
import { RelayError } from '../core/relay-error.js';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  PASSWORD_HASH_WORKER_SOURCE,
  type HashJob,
  type HashJobResult,
  type HashWorkerData,
} from './password-hash-worker.js';

export const PRODUCTION_BCRYPT_COST = 12;

type JobInput = { op: 'hash'; password: string } | { op: 'compare'; password: string; hash: string };

export type HashLane = 'priority' | 'open';

interface Pending {
  resolve(value: string | boolean): void;
  reject(error: Error): void;
}

interface Queued extends Pending { input: JobInput }

export interface PasswordHasherOptions {
  /** Jobs waiting per lane (the one running not counted); default 8 each, ~1.6 s of work at cost 12. */
  maxQueued?: number;
}

/** 503: the lane is full; try again after the work ahead has drained. */
export class HasherBusyError extends RelayError {
  constructor(readonly retryAfterS: number) {
    super('busy', 503, `the relay is checking too many passwords at once; try again in ${retryAfterS} s`);
  }
}

export class PasswordHasher {
  private dummyHash: Promise<string> | null = null;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly lanes: Record<HashLane, Queued[]> = { priority: [], open: [] };
  private readonly maxQueued: number;
  private nextId = 1;

  constructor(readonly cost: number = PRODUCTION_BCRYPT_COST, opts: PasswordHasherOptions = {}) {
    this.maxQueued = opts.maxQueued ?? 8;
  }

  async hash(password: string, lane: HashLane = 'priority'): Promise<string> {
    return (await this.run({ op: 'hash', password }, lane)) as string;
  }

  async verify(password: string, hash: string, lane: HashLane = 'open'): Promise<boolean> {
    return (await this.run({ op: 'compare', password, hash }, lane)) as boolean;
  }

  /** Jobs waiting in `lane` (not the one running). */
  queued(lane: HashLane): number {
    return this.lanes[lane].length;
  }

  /**
   * Spends the same work as a real check and always fails: used for unknown
   * usernames so response time does not tell which usernames exist.
   */
  async verifyNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash(crypto.randomBytes(16).toString('base64url'));
    const dummy = this.dummyHash;
    // A failed dummy hash (e.g. the worker was stopped) is retried next time.
    dummy.catch(() => {
      if (this.dummyHash === dummy) this.dummyHash = null;
    });
    await this.verify(password, await dummy, 'open');
    return false;
  }

  /** Terminates the worker; jobs still in flight fail. A later call starts a new one. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.detach(worker, new Error('password hasher stopped'));
    await worker.terminate();
  }

  private run(input: JobInput, lane: HashLane): Promise<string | boolean> {
    const queue = this.lanes[lane];
    if (queue.length >= this.maxQueued) {
      // Roughly how long the jobs ahead take at this cost (2^cost rounds, ~200 ms at 12).
      const jobMs = 200 * 2 ** (this.cost - PRODUCTION_BCRYPT_COST);
      return Promise.reject(new HasherBusyError(Math.max(1, Math.ceil(((this.maxQueued + 1) * jobMs) / 1000))));
    }
    return new Promise((resolve, reject) => {
      queue.push({ input, resolve, reject });
      this.pump();
    });
  }

  /** Hands the worker the next job when it is idle, priority lane first. */
  private pump(): void {
    if (this.pending.size > 0) return;
    const job = this.lanes.priority.shift() ?? this.lanes.open.shift();
    if (!job) return;
    const worker = this.worker ?? this.startWorker();
    const id = this.nextId++;
    this.pending.set(id, job);
    worker.ref();
    worker.postMessage({ id, ...job.input } satisfies HashJob);
  }

  private startWorker(): Worker {
    // Resolved from this module's place, so the bundles find the same
    // node_modules copy as an `import` here would.
    const workerData: HashWorkerData = { bcryptPath: createRequire(import.meta.url).resolve('bcryptjs'), cost: this.cost };
    // execArgv [] : the worker needs no TypeScript loader or parent flags.
    const worker = new Worker(PASSWORD_HASH_WORKER_SOURCE, { eval: true, workerData, execArgv: [] });
    worker.unref();
    worker.on('message', (msg: HashJobResult) => this.settle(worker, msg));
    worker.on('error', (e) => this.detach(worker, e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => this.detach(worker, new Error(`password hasher worker exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(worker: Worker, msg: HashJobResult): void {
    const job = this.pending.get(msg.id);
    if (!job) return;
    this.pending.delete(msg.id);
    if (msg.ok) job.resolve(msg.value);
    else job.reject(new Error(msg.message));
    this.pump();
    if (this.pending.size === 0) worker.unref();
  }

  /** Forgets `worker` (if still current) and fails everything it still owed. */
  private detach(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    worker.unref();
    const owed = [...this.pending.values(), ...this.lanes.priority, ...this.lanes.open];
    this.pending.clear();
    this.lanes.priority.length = 0;
    this.lanes.open.length = 0;
    for (const job of owed) job.reject(error);
  }
}
