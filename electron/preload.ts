// Runs in the sandboxed preload: exposes the desktop bridge, nothing else.
// Bundled to one CommonJS file (a sandboxed preload cannot load local modules).
import { contextBridge, ipcRenderer } from 'electron';
import { createDesktopBridge } from './preload/desktop-bridge.js';

contextBridge.exposeInMainWorld('relayDesktop', createDesktopBridge(ipcRenderer));
