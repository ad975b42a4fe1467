import { monitorEventLoopDelay } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { HasherBusyError, PasswordHasher, PRODUCTION_BCRYPT_COST } from '../../../relay/auth/password-hasher.js';

describe('PasswordHasher', () => {
  const hashers: PasswordHasher[] = [];
  const make = (cost?: number, maxQueued?: number) => {
    const h = new PasswordHasher(cost, maxQueued === undefined ? {} : { maxQueued });
    hashers.push(h);
    return h;
  };
  afterEach(async () => {
    await Promise.all(hashers.splice(0).map((h) => h.stop()));
  });

  it('hashes with bcrypt at the given cost and verifies', async () => {
    const h = make(4);
    const hash = await h.hash('correct horse battery');
    expect(hash).toMatch(/^\$2[aby]\$04\$/);
    expect(hash).not.toContain('correct horse');
    expect(await h.verify('correct horse battery', hash)).toBe(true);
    expect(await h.verify('correct horse batterY', hash)).toBe(false);
    expect(await h.hash('correct horse battery')).not.toBe(hash); // salted
  });

  it('produces ordinary bcrypt hashes, compatible with ones made before the worker', async () => {
    const h = make(4);
    expect(await h.verify('older password', bcrypt.hashSync('older password', 4))).toBe(true);
    expect(bcrypt.compareSync('newer password', await h.hash('newer password'))).toBe(true);
    expect(await h.verify('anything', 'not a bcrypt hash')).toBe(false);
  });

  it('uses cost 12 unless told otherwise', () => {
    expect(new PasswordHasher().cost).toBe(PRODUCTION_BCRYPT_COST);
    expect(PRODUCTION_BCRYPT_COST).toBe(12);
  });

  it('verifyNothing always fails', async () => {
    const h = make(4);
    expect(await h.verifyNothing('anything')).toBe(false);
    expect(await h.verifyNothing('')).toBe(false);
  });

  it('answers concurrent jobs each with its own result', async () => {
    const h = make(4);
    const hashes = await Promise.all(['a', 'b', 'c'].map((p) => h.hash(p)));
    const checks = await Promise.all([h.verify('a', hashes[0]!), h.verify('b', hashes[0]!), h.verify('c', hashes[2]!)]);
    expect(checks).toEqual([true, false, true]);
  });

  it('passes errors from bcrypt back to the caller', async () => {
    const h = make(4);
    await expect(h.verify(undefined as unknown as string, '$2b$04$abc')).rejects.toThrow(/Illegal arguments/);
    // The worker survives a failed job.
    expect(await h.verify('x', await h.hash('x'))).toBe(true);
  });

  it('fails jobs in flight when stopped, and starts a fresh worker on the next call', async () => {
    const h = make(10);
    const inFlight = expect(h.hash('interrupted')).rejects.toThrow(/stopped/);
    await h.stop();
    await inFlight;
    const hash = await h.hash('after stop');
    expect(await h.verify('after stop', hash)).toBe(true);
  });

  it('refuses open-lane work beyond its bound with a 503 and Retry-After, without queueing it', async () => {
    const h = make(6, 4);
    const hash = await h.hash('the admin password');
    // 40 parallel current-password checks, as one signed-in viewer could send.
    const checks = Array.from({ length: 40 }, (_, i) => h.verify(`guess ${i}`, hash, 'open').then(() => 'done', (e: unknown) => e));
    expect(h.queued('open')).toBe(4); // one running, four waiting
    const settled = await Promise.all(checks);
    const refused = settled.filter((r) => r instanceof HasherBusyError) as HasherBusyError[];
    expect(refused).toHaveLength(35);
    expect(refused[0]).toMatchObject({ status: 503, code: 'busy' });
    expect(refused[0]!.retryAfterS).toBeGreaterThanOrEqual(1);
    expect(settled.filter((r) => r === 'done')).toHaveLength(5);
  });

  it('serves a sign-in from a trusted device before the open lane, however full', async () => {
    const h = make(6, 8);
    const hash = await h.hash('the admin password');
    const order: string[] = [];
    const flood = Array.from({ length: 40 }, (_, i) => h.verify(`guess ${i}`, hash, 'open').then(() => order.push('open'), () => undefined));
    const admin = h.verify('the admin password', hash, 'priority').then((ok) => order.push(ok ? 'admin' : 'admin-failed'));
    await Promise.all([...flood, admin]);
    // At most the one open job already running finishes before the admin's.
    expect(order.indexOf('admin')).toBeLessThanOrEqual(1);
    expect(order.filter((o) => o === 'open')).toHaveLength(9);
  });

  it('keeps the event loop free while a production-cost login runs', async () => {
    const h = make(PRODUCTION_BCRYPT_COST);
    const hash = await h.hash('the admin password'); // also starts the worker
    // Timestamps of a 5 ms timer on this loop: with bcrypt on the main thread
    // the gap is ~100 ms (bcryptjs yields every 100 ms); off it, a few ms.
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    let last = performance.now();
    let maxGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    histogram.enable();
    const started = performance.now();
    try {
      expect(await h.verify('the admin password', hash)).toBe(true);
      expect(await h.verifyNothing('a wrong password')).toBe(false);
    } finally {
      histogram.disable();
      clearInterval(timer);
    }
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThan(100); // the work was really done meanwhile
    expect(maxGap).toBeLessThan(50);
    expect(histogram.max / 1e6).toBeLessThan(50);
  });
});
