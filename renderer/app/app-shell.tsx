// The signed-in layout: header with the user and sign-out, page navigation,
// the disconnected banner, and the current page. Focus moves to the page
// heading on navigation so keyboard and screen-reader users land on it.
import { useEffect, useRef } from 'react';
import type { AdminUser } from '../../relay/contract/api-types.js';
import { ActiveCallsPage } from '../pages/active-calls-page.js';
import { AgentsPage } from '../pages/agents-page.js';
import { AlertsPage } from '../pages/alerts-page.js';
import { ApiKeysPage } from '../pages/api-keys-page.js';
import { CallRecordsPage } from '../pages/call-records-page.js';
import { ConnectionsPage } from '../pages/connections-page.js';
import { ErrorsPage } from '../pages/errors-page.js';
import { OverviewPage } from '../pages/overview-page.js';
import { SettingsPage } from '../pages/settings-page.js';
import { UsersPage } from '../pages/users-page.js';
import { WallboardPage } from '../pages/wallboard-page.js';
import { LinkBanner } from '../components/link-banner.js';
import { NavBar } from '../components/nav-bar.js';
import { pageFor, visiblePages, type PageId } from './page-list.js';

const PAGE_COMPONENTS: Record<PageId, () => React.JSX.Element> = {
  overview: OverviewPage,
  wallboard: WallboardPage,
  agents: AgentsPage,
  alerts: AlertsPage,
  connections: ConnectionsPage,
  calls: ActiveCallsPage,
  errors: ErrorsPage,
  keys: ApiKeysPage,
  users: UsersPage,
  records: CallRecordsPage,
  settings: SettingsPage,
};

export interface AppShellProps {
  user: AdminUser;
  path: string;
  desktop: boolean;
  onSignOut?: () => void;
}

export function AppShell({ user, path, desktop, onSignOut }: AppShellProps) {
  const pages = visiblePages(user.role === 'admin', desktop);
  const page = pageFor(path, pages);
  const Page = PAGE_COMPONENTS[page.id];
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [page.id]);

  useEffect(() => {
    document.title = `${page.label} — 3CX Relay Companion`;
  }, [page.label]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); main.current?.querySelector<HTMLElement>('h1')?.focus(); }}>
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">3CX Relay Companion</span>
        <span className="whoami">
          {user.username} <span className="role-tag">{user.role}</span>
        </span>
        {onSignOut && <button type="button" className="small" onClick={onSignOut}>Sign out</button>}
      </header>
      <LinkBanner />
      <div className="layout">
        <NavBar pages={pages} current={page.id} />
        <main ref={main} id="main" className="content" key={page.id}>
          <Page />
        </main>
      </div>
    </div>
  );
}
