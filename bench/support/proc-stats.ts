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

/** CPU time (user + system) `pid` has used so far, in seconds (Linux clock ticks are 1/100 s). */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Share of one core a process used between two cpuSecondsOf readings. */
export function corePercent(before: number | null, after: number | null, wallS: number): number | null {
  return before === null || after === null || wallS <= 0 ? null : Math.round(((after - before) / wallS) * 100);
}
