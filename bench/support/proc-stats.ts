// Resident memory of another process, read from /proc/PID/status (Linux):
// the relay runs in a child process, so its RSS is sampled from outside.
import { readFileSync } from 'node:fs';

/** VmRSS of `pid` in bytes, or null when the process is gone. */
export function rssOf(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface RssSampler {
  /** Stops sampling; returns first, peak and last sample in bytes. */
  stop(): { first: number; peak: number; last: number; samples: number };
}

/** Samples a process's RSS every `intervalMs` (first sample taken now). */
export function sampleRss(pid: number, intervalMs = 50): RssSampler {
  const first = rssOf(pid) ?? 0;
  let peak = first;
  let last = first;
  let samples = 1;
  const timer = setInterval(() => {
    const v = rssOf(pid);
    if (v === null) return;
    samples += 1;
    last = v;
    if (v > peak) peak = v;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const v = rssOf(pid);
      if (v !== null) {
        last = v;
        if (v > peak) peak = v;
      }
      return { first, peak, last, samples };
    },
  };
}

export const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
