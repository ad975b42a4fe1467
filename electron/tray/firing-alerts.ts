// The alerts the tray counts: fired outside quiet hours and neither cleared
// nor acknowledged yet. Fed with every alert transition (onAlert).
import type { AlertEntry } from '../../relay/contract/supervisor-types.js';
import { isNotifiable } from '../notifications/alert-notices.js';

export interface FiringAlerts {
  /** Returns true when the count or the newest alert changed. */
  offer(entry: AlertEntry): boolean;
  readonly count: number;
  /** The newest firing alert's message, or null. */
  readonly latest: string | null;
  clear(): void;
}

export function createFiringAlerts(): FiringAlerts {
  const firing = new Map<number, AlertEntry>();
  return {
    offer(entry) {
      if (isNotifiable(entry)) {
        firing.set(entry.id, entry);
        return true;
      }
      return firing.delete(entry.id);
    },
    get count() {
      return firing.size;
    },
    get latest() {
      let newest: AlertEntry | null = null;
      for (const e of firing.values()) if (!newest || e.id > newest.id) newest = e;
      return newest ? `${newest.rule}: ${newest.message}` : null;
    },
    clear() {
      firing.clear();
    },
  };
}
