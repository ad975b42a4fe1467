// Hash routing (`#/calls`): works from the relay at `/` and from the desktop
// shell's custom protocol alike, with no server-side routes.
import { useCallback, useEffect, useState } from 'react';

function currentPath(): string {
  return window.location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
}

export function useHashRoute(): [string, (path: string) => void] {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const onChange = () => setPath(currentPath());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((next: string) => {
    window.location.hash = `#/${next}`;
    setPath(next);
  }, []);
  return [path, navigate];
}
