// bcrypt for admin passwords (bcryptjs: pure JS, no native build). The cost
// is a parameter so tests can run at the minimum while production uses 12.
//
// At cost 12 one hash or compare is ~200 ms of pure JS; on the main thread
// that stalls WebSocket delivery and every REST answer for everyone during
// each login (the soak saw it). So the work runs in one worker thread,
// started on first use. The worker is unref'd while idle so it never keeps
// the process alive, and ref'd while a job is in flight so an answer is not
// lost to an early exit. stop() terminates it.
import crypto from 'node:crypto';
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

interface Pending {
  resolve(value: string | boolean): void;
  reject(error: Error): void;
}

export class PasswordHasher {
  private dummyHash: Promise<string> | null = null;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(readonly cost: number = PRODUCTION_BCRYPT_COST) {}

  async hash(password: string): Promise<string> {
    return (await this.run({ op: 'hash', password })) as string;
  }

  async verify(password: string, hash: string): Promise<boolean> {
    return (await this.run({ op: 'compare', password, hash })) as boolean;
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
    await this.verify(password, await dummy);
    return false;
  }

  /** Terminates the worker; jobs still in flight fail. A later call starts a new one. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.detach(worker, new Error('password hasher stopped'));
    await worker.terminate();
  }

  private run(input: JobInput): Promise<string | boolean> {
    const worker = this.worker ?? this.startWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, ...input } satisfies HashJob);
    });
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
    if (this.pending.size === 0) worker.unref();
    if (msg.ok) job.resolve(msg.value);
    else job.reject(new Error(msg.message));
  }

  /** Forgets `worker` (if still current) and fails everything it still owed. */
  private detach(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    worker.unref();
    const owed = [...this.pending.values()];
    this.pending.clear();
    for (const job of owed) job.reject(error);
  }
}
