// Shows what the throttles let through as native notifications; a click
// brings the window forward on the notice's page (the Errors page unless it
// names another, e.g. an alert's).
import type { AlertNotice } from './alert-notices.js';
import type { Notice } from './notification-throttle.js';

/** The part of an Electron Notification used here. */
export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}
export type NotificationFactory = (options: { title: string; body: string; urgency?: 'normal' | 'critical' }) => NotificationLike;

export const ERRORS_PAGE = 'errors';

export function createNotificationPresenter(deps: {
  create: NotificationFactory;
  isSupported: () => boolean;
  openPage: (page: string) => void;
}): { show(notice: Notice | AlertNotice): void; dispose(): void } {
  // Held until closed: a garbage-collected Notification loses its click handler on some platforms.
  const live = new Set<NotificationLike>();
  return {
    show(notice) {
      if (!deps.isSupported()) return;
      const n = deps.create({ title: notice.title, body: notice.body, urgency: notice.severity === 'critical' ? 'critical' : 'normal' });
      live.add(n);
      n.on('click', () => {
        live.delete(n);
        deps.openPage('page' in notice ? notice.page : ERRORS_PAGE);
      });
      n.on('close', () => live.delete(n));
      n.show();
    },
    dispose() {
      live.clear();
    },
  };
}
