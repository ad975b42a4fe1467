// Every page of the dashboard: its hash path, label and who may see it.
export type PageId =
  | 'overview' | 'wallboard' | 'agents' | 'alerts' | 'connections' | 'calls' | 'errors' | 'keys' | 'users' | 'records' | 'settings';

export interface PageEntry {
  id: PageId;
  label: string;
  adminOnly?: boolean;
  desktopOnly?: boolean;
}

export const PAGES: readonly PageEntry[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'wallboard', label: 'Wallboard' },
  { id: 'agents', label: 'Agents' },
  { id: 'alerts', label: 'Alerts' },
  { id: 'connections', label: 'Connections' },
  { id: 'calls', label: 'Active calls' },
  { id: 'errors', label: 'Errors' },
  { id: 'keys', label: 'API keys', adminOnly: true },
  { id: 'users', label: 'Users' },
  { id: 'records', label: 'Call records' },
  { id: 'settings', label: 'Settings', desktopOnly: true },
];

export function visiblePages(isAdmin: boolean, desktop: boolean): PageEntry[] {
  return PAGES.filter((page) => (!page.adminOnly || isAdmin) && (!page.desktopOnly || desktop));
}

export function pageFor(path: string, pages: readonly PageEntry[]): PageEntry {
  return pages.find((page) => page.id === path) ?? pages[0] ?? { id: 'overview', label: 'Overview' };
}
