// "Start with my computer". Windows and macOS have a login-item API in
// Electron; Linux has none, so there it is an XDG autostart .desktop file.
import fs from 'node:fs/promises';
import path from 'node:path';

export const HIDDEN_FLAG = '--hidden';

/** The part of Electron's `app` used here. */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; openAsHidden?: boolean; args?: string[] }): void;
}

export interface AutostartDeps {
  platform: NodeJS.Platform;
  app: LoginItemApp;
  /** ~/.config (XDG_CONFIG_HOME) on Linux. */
  configHome: string;
  /** What to launch: the AppImage when running from one, else the executable. */
  executable: string;
  desktopFileName: string;
  productName: string;
}

/** Quoting per the Desktop Entry spec's Exec key. */
export function quoteExecArg(arg: string): string {
  return `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function linuxAutostartEntry(deps: Pick<AutostartDeps, 'executable' | 'productName'>): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${deps.productName}`,
    `Exec=${quoteExecArg(deps.executable)} ${HIDDEN_FLAG}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

export async function applyAutostart(enabled: boolean, deps: AutostartDeps): Promise<void> {
  if (deps.platform !== 'linux') {
    deps.app.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: true, args: [HIDDEN_FLAG] });
    return;
  }
  const file = path.join(deps.configHome, 'autostart', deps.desktopFileName);
  if (!enabled) {
    await fs.rm(file, { force: true });
    return;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, linuxAutostartEntry(deps), { mode: 0o644 });
}
