// Where the desktop app finds its own files and keeps the person's data.
// Packaged, tray images live outside the asar (extraResources) so the OS can
// pick the @2x variants by file name.
import path from 'node:path';

export interface AppPathsInput {
  /** app.getAppPath(): the package root (inside app.asar when packaged). */
  appRoot: string;
  /** app.getPath('userData'). */
  userData: string;
  isPackaged: boolean;
  /** process.resourcesPath (packaged only). */
  resourcesPath: string;
}

export interface AppPaths {
  preload: string;
  rendererDir: string;
  appIcon: string;
  trayIconDir: string;
  settingsFile: string;
  encryptedSecretsFile: string;
  relayDataDir: string;
  logsDir: string;
}

export function appPaths(input: AppPathsInput): AppPaths {
  const resources = input.isPackaged ? input.resourcesPath : path.join(input.appRoot, 'resources');
  return {
    preload: path.join(input.appRoot, 'dist', 'electron', 'preload.cjs'),
    rendererDir: path.join(input.appRoot, 'renderer', 'dist'),
    appIcon: path.join(resources, 'icon.png'),
    trayIconDir: path.join(resources, 'tray'),
    settingsFile: path.join(input.userData, 'settings.json'),
    encryptedSecretsFile: path.join(input.userData, 'secrets.enc.json'),
    relayDataDir: path.join(input.userData, 'relay-data'),
    logsDir: path.join(input.userData, 'logs'),
  };
}
