// Side navigation: plain links to hash routes, the current one marked for
// assistive technology with aria-current.
import type { PageEntry, PageId } from '../app/page-list.js';

export function NavBar({ pages, current }: { pages: readonly PageEntry[]; current: PageId }) {
  return (
    <nav className="nav" aria-label="Dashboard pages">
      <ul>
        {pages.map((page) => (
          <li key={page.id}>
            <a href={`#/${page.id}`} aria-current={page.id === current ? 'page' : undefined}>
              {page.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
