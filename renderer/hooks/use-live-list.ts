// A list the relay both answers on request and pushes item by item (queue
// figures, agents): polled as a safety net, with each pushed item replacing
// its polled twin when it is newer. Items keep their keys, so rows and tiles
// update in place instead of remounting.
import { useMemo, useState } from 'react';
import type { RelayFrame } from '../../relay/contract/api-types.js';
import { useFrames } from './use-frames.js';
import { useResource, type Resource } from './use-resource.js';

/** Pushes arrive every few seconds; the poll only covers a lost frame or a quiet relay. */
export const LIVE_POLL_MS = 10_000;

export interface LiveListSpec<T> {
  /** null when the relay does not serve the list: the result stays empty. */
  load: (() => Promise<T[]>) | null;
  /** The item a frame carries, if it carries one. */
  pick: (frame: RelayFrame) => T | null;
  keyOf: (item: T) => string;
  asOfOf: (item: T) => string | null;
  /** Display order. */
  compare: (a: T, b: T) => number;
}

const time = (iso: string | null): number => (iso === null ? -Infinity : Date.parse(iso));

export function mergeNewer<T>(polled: readonly T[], pushed: ReadonlyMap<string, T>, keyOf: (item: T) => string, asOfOf: (item: T) => string | null): T[] {
  const seen = new Set<string>();
  const merged = polled.map((item) => {
    const key = keyOf(item);
    seen.add(key);
    const live = pushed.get(key);
    return live !== undefined && time(asOfOf(live)) >= time(asOfOf(item)) ? live : item;
  });
  for (const [key, item] of pushed) if (!seen.has(key)) merged.push(item);
  return merged;
}

export function useLiveList<T>({ load, pick, keyOf, asOfOf, compare }: LiveListSpec<T>): Resource<T[]> {
  const supported = load !== null;
  const resource = useResource(() => (load ? load() : Promise.resolve([])), [supported], { pollMs: supported ? LIVE_POLL_MS : 0 });
  const [pushed, setPushed] = useState<ReadonlyMap<string, T>>(() => new Map());
  useFrames((frame) => {
    const item = pick(frame);
    if (item !== null) setPushed((old) => new Map(old).set(keyOf(item), item));
  });
  const { data } = resource;
  // keyOf/asOfOf/compare are pure field reads; the merge depends only on the two sources.
  const merged = useMemo(
    () => (data === undefined ? undefined : mergeNewer(data, pushed, keyOf, asOfOf).sort(compare)),
    [data, pushed],
  );
  return { ...resource, data: merged };
}
