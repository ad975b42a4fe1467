// The one BrowserWindow's options, with every item of Electron's security
// checklist that is a window option set explicitly (not left to defaults
// that have changed between Electron versions).
import type { BrowserWindowConstructorOptions } from 'electron';

export function createMainWindowOptions(opts: { preloadPath: string; iconPath?: string }): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: '3CX Relay Companion',
    show: false, // shown on 'ready-to-show' to avoid a white flash
    ...(opts.iconPath ? { icon: opts.iconPath } : {}),
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}
