// Only our own window's top frame, showing our own app:// page, may call the
// relay over IPC: not an iframe, not a page that navigated elsewhere, not
// another window (Electron's "validate the sender of all IPC messages").

/** The parts of IpcMainInvokeEvent the guard reads. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export interface AppOrigin { scheme: string; host: string }

export function isAppUrl(url: string, origin: AppOrigin): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  // `URL.origin` is "null" for custom schemes, so compare the parts.
  return u.protocol === `${origin.scheme}:` && u.host === origin.host && !u.username && !u.password;
}

export function createSenderGuard(opts: {
  /** The main window's webContents id, or null while there is no window. */
  trustedWebContentsId: () => number | null;
  origin: AppOrigin;
}): (event: InvokeEventLike) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame) return false; // the frame navigated away or was destroyed before the call arrived
    if (frame.parent !== null) return false;
    const trusted = opts.trustedWebContentsId();
    if (trusted === null || event.sender.id !== trusted) return false;
    return isAppUrl(frame.url, opts.origin);
  };
}
