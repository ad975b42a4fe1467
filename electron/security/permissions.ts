// The dashboard needs no camera, microphone, notifications-from-page,
// geolocation or anything else a site can ask for: every request is denied,
// and every later check says no.

/** The parts of Electron's Session used here. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
}

export function denyAllPermissions(session: PermissionSession, onDenied?: (permission: string) => void): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => {
    onDenied?.(permission);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}
