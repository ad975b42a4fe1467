// The Electron main process: wiring only. Every decision lives in the
// modules it imports (each unit-tested with fakes); this file hands them
// Electron's objects and runs the app's lifecycle.
import fs from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  BrowserWindow, Menu, Notification, Tray, app, clipboard, dialog, ipcMain, nativeImage, protocol, safeStorage, session, shell,
} from 'electron';
import log from 'electron-log/node';
import { WebSocket as NodeWebSocket } from 'ws';
import { IPC_EVENTS } from '../relay/contract/ipc-channels.js';
import { systemClock } from '../relay/core/clock.js';
import { RelayError, describeError } from '../relay/core/relay-error.js';
import { trackSecretValues } from './secrets/secret-store.js';
import { createRelayService } from '../relay/service.js';
import { appPaths } from './app/app-paths.js';
import { registerIpcHandlers } from './ipc/register-ipc-handlers.js';
import { createSenderGuard } from './ipc/sender-guard.js';
import { createElectronLogger } from './logging/electron-logger.js';
import { createNotificationPresenter } from './notifications/notification-presenter.js';
import { createNotificationThrottle } from './notifications/notification-throttle.js';
import { createAlertNotifier } from './notifications/alert-notices.js';
import { createRelayHost } from './relay/relay-host.js';
import { chooseSecretStore } from './secrets/choose-secret-store.js';
import { loadKeytar } from './secrets/load-keytar.js';
import { APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_START_URL, createAppProtocolHandler } from './security/app-protocol.js';
import { installNavigationGuards } from './security/navigation-guard.js';
import { denyAllPermissions } from './security/permissions.js';
import { isAllowedRendererRequest } from './security/request-filter.js';
import { createMainWindowOptions } from './security/window-options.js';
import { HIDDEN_FLAG, applyAutostart } from './settings/autostart.js';
import { testUpstreamConnections } from './settings/connection-test.js';
import { createDesktopOperations } from './ipc/desktop-operations.js';
import { readSecrets, relayConfigFrom, upstreamsFrom } from './settings/relay-config.js';
import { createSettingsStore } from './settings/settings-store.js';
import { createTrayController } from './tray/tray-controller.js';
import type { TrayIcon } from './tray/tray-state.js';
import { createModeSwitcher } from './team/mode-switcher.js';
import { createTeamCredentials } from './team/team-credentials.js';
import { createTeamFollower, type TeamFollower } from './team/team-follower.js';
import { createTeamMode } from './team/team-mode.js';
import { createTeamFrameLink, type TeamFrameLink } from './team/team-frame-link.js';
import { createTraySource } from './team/tray-source.js';

const PRODUCT_NAME = '3CX Relay Companion';
/** Keychain service name and autostart file name. */
const APP_ID = '3cx-relay-companion';

// Must happen before `ready`: app:// behaves like https (secure context, fetch, CSP).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the relay port and the store; it gets focused instead (second-instance below).
  app.quit();
} else {
  void main().catch((e: unknown) => {
    dialog.showErrorBox(PRODUCT_NAME, `The app could not start: ${describeError(e)}`);
    app.exit(1);
  });
}

async function main(): Promise<void> {
  await app.whenReady();
  const paths = appPaths({
    appRoot: app.getAppPath(), userData: app.getPath('userData'), isPackaged: app.isPackaged, resourcesPath: process.resourcesPath,
  });

  let secretValues: () => readonly string[] = () => [];
  const logger = createElectronLogger(log.create({ logId: 'relay-companion' }), {
    logsDir: paths.logsDir,
    secrets: () => secretValues(),
    console: !app.isPackaged,
  });
  logger.info('starting', { version: app.getVersion(), platform: process.platform });

  const chosen = await chooseSecretStore({
    loadKeytar: () => loadKeytar(),
    service: APP_ID,
    safeStorage,
    platform: process.platform,
    encryptedFilePath: paths.encryptedSecretsFile,
    logger,
  });
  const tracked = trackSecretValues(chosen.store);
  secretValues = tracked.values;
  const secrets = tracked.store;
  const settingsStore = createSettingsStore({ filePath: paths.settingsFile, logger });
  const teamCredentials = createTeamCredentials(secrets);

  const relay = createRelayHost({
    logger,
    createService: (config) => createRelayService(config, { logger: logger.child({ component: 'relay' }) }),
    buildConfig: async () => {
      const settings = await settingsStore.load();
      const upstreams = settings.demo ? { pbx: null, cdr: null } : upstreamsFrom(settings, await readSecrets(secrets));
      const config = relayConfigFrom(settings, upstreams, {
        dataDir: paths.relayDataDir, dashboardDir: paths.rendererDir, version: app.getVersion(),
      });
      if (settings.demo) config.demo = true;
      return config;
    },
  });

  // ---- the window ----
  let win: BrowserWindow | null = null;
  const showWindow = () => {
    if (!win || win.isDestroyed()) win = createWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };
  const openPage = (page: string) => {
    showWindow();
    win?.webContents.send(IPC_EVENTS.navigate, page);
  };
  let quitting = false;

  function createWindow(): BrowserWindow {
    const w = new BrowserWindow(createMainWindowOptions({ preloadPath: paths.preload, iconPath: paths.appIcon }));
    w.once('ready-to-show', () => {
      if (!process.argv.includes(HIDDEN_FLAG)) w.show();
    });
    // Closing the window keeps the relay running in the tray; Quit ends it.
    w.on('close', (event) => {
      if (quitting) return;
      event.preventDefault();
      w.hide();
    });
    void w.loadURL(APP_START_URL);
    return w;
  }

  // ---- security: protocol, permissions, network, navigation ----
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: paths.rendererDir }));
  denyAllPermissions(session.defaultSession, (permission) => logger.warn('permission request denied', { permission }));
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRendererRequest(details.url, APP_ORIGIN);
    if (!allowed) logger.warn('renderer request blocked', { url: details.url });
    callback({ cancel: !allowed });
  });
  app.on('web-contents-created', (_event, contents) => {
    installNavigationGuards(contents, {
      origin: APP_ORIGIN,
      openExternal: (url) => void shell.openExternal(url),
      onBlocked: (what, url) => logger.warn('blocked in renderer', { what, url }),
    });
  });

  // ---- mode: the own relay, or a client of a team relay (electron/team/) ----
  let following: { follower: TeamFollower; link: TeamFrameLink; origin: string; offs: (() => void)[] } | null = null;
  let trayController: { refresh(): void; stop(): void } | null = null;
  const traySource = createTraySource({ relay, team: () => following });
  const teamMode = createTeamMode({
    settings: settingsStore,
    credentials: teamCredentials,
    fetch: (input, init) => fetch(input, init),
    apply: (mode) => switcher.apply(mode),
    logger,
    onSignedIn: () => following?.link.start(),
  });
  const switcher = createModeSwitcher({
    own: {
      start: async () => {
        try {
          const started = await relay.start();
          if (started.bootstrapPassword) void showBootstrapPassword(started.url, started.bootstrapPassword);
        } catch (e) {
          // The window still opens so the person can fix the cause (port in use, bad settings).
          logger.error('relay could not start', { error: describeError(e) });
          dialog.showErrorBox(PRODUCT_NAME, `The relay could not start: ${describeError(e)}\nOpen Settings to change the port or the PBX details.`);
        }
        traySource.changed();
      },
      stop: () => relay.stop(),
    },
    team: {
      start: (origin) => {
        const follower = createTeamFollower({ request: (req) => teamMode.gateway.request(req), clock: systemClock, logger: logger.child({ component: 'team' }) });
        const offs = [
          follower.onHealth(() => trayController?.refresh()),
          follower.onError((entry) => throttle.offer(entry, true)),
          follower.onAlert((entry, initial) => {
            traySource.alert(entry);
            if (!initial) alertNotifier.offer(entry);
          }),
        ];
        const link = createTeamFrameLink({
          origin,
          request: (req) => teamMode.gateway.request(req),
          // The browser interface of the `ws` package; it sends no Origin, as a server-side client should not.
          createSocket: (url) => new NodeWebSocket(url) as unknown as WebSocket,
          onFrame: (frame) => {
            if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENTS.frame, frame);
          },
        });
        link.start();
        following = { follower, link, origin, offs };
        traySource.changed();
        logger.info('following the team relay', { url: origin });
      },
      stop: () => {
        following?.follower.stop();
        following?.link.stop();
        following?.offs.forEach((off) => off());
        following = null;
      },
    },
  });

  // ---- IPC ----
  const desktop = createDesktopOperations({
    settings: settingsStore,
    secrets,
    keychainUnavailable: chosen.keychainUnavailable,
    relay,
    logger,
    applyAutostart: (enabled) => applyAutostart(enabled, autostartDeps()),
    testConnections: (candidate) => testUpstreamConnections(candidate, { logger, running: () => relay.connectionTest() }),
    openLogsFolder: async () => {
      const error = await shell.openPath(paths.logsDir);
      if (error) throw new RelayError('open_failed', 500, `could not open the logs folder: ${error}`);
    },
    chooseCsvPath: async (suggestedName) => {
      const options = { defaultPath: path.join(app.getPath('downloads'), suggestedName), filters: [{ name: 'CSV', extensions: ['csv'] }] };
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    createOutput: (filePath) => fs.createWriteStream(filePath),
    removeFile: (filePath) => rm(filePath, { force: true }),
    sendExportProgress: (progress) => win?.webContents.send(IPC_EVENTS.exportProgress, progress),
    team: teamMode.operations,
  });
  const unregisterIpc = registerIpcHandlers(ipcMain, { admin: relay.admin, desktop }, {
    logger,
    isTrustedSender: createSenderGuard({
      trustedWebContentsId: () => (win && !win.isDestroyed() ? win.webContents.id : null),
      origin: APP_ORIGIN,
    }),
  });
  const offFrames = relay.onFrame((frame) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENTS.frame, frame);
  });

  // ---- notifications ----
  const presenter = createNotificationPresenter({
    create: (options) => new Notification({ ...options, icon: paths.appIcon }),
    isSupported: () => Notification.isSupported(),
    openPage,
  });
  const throttle = createNotificationThrottle({ clock: systemClock, notify: (notice) => presenter.show(notice) });
  const offErrors = relay.onError((entry, isNew) => throttle.offer(entry, isNew));
  const alertNotifier = createAlertNotifier({ clock: systemClock, notify: (notice) => presenter.show(notice) });
  const offAlerts = relay.onAlert((entry) => alertNotifier.offer(entry));

  // ---- start ----
  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow());
  // A tray app: closing every window does not quit.
  app.on('window-all-closed', () => {});

  const settings = await settingsStore.load();
  await applyAutostart(settings.autostart, autostartDeps()).catch((e: unknown) =>
    logger.warn('could not apply the autostart setting', { error: describeError(e) }));
  // Team mode starts no relay here: the team's leader holds the one 3CX token.
  await switcher.apply(await teamMode.load());
  win = createWindow();

  // ---- tray ----
  const icons = Object.fromEntries((['ok', 'degraded', 'down'] as const).map((k) => [
    k, nativeImage.createFromPath(path.join(paths.trayIconDir, `tray-${k}.png`)),
  ])) as Record<TrayIcon, Electron.NativeImage>;
  const tray = new Tray(icons.down);
  tray.on('click', () => showWindow());
  trayController = createTrayController({
    tray,
    icons,
    buildMenu: (template) => Menu.buildFromTemplate(template),
    relay: traySource,
    clock: systemClock,
    productName: PRODUCT_NAME,
    actions: {
      openDashboard: showWindow,
      copyRelayUrl: () => {
        const url = traySource.url();
        if (url) clipboard.writeText(url);
      },
      // In team mode there is no relay here to pause, and resuming would start one beside the team.
      pause: () => {
        if (!following) void relay.pause();
      },
      resume: () => {
        if (!following) void relay.resume().catch((e: unknown) => logger.error('relay could not resume', { error: describeError(e) }));
      },
      quit: () => app.quit(),
    },
  });

  // ---- quit: stop the relay cleanly before the process ends ----
  let shutdownDone = false;
  let shuttingDown = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (shutdownDone) return;
    event.preventDefault();
    if (shuttingDown) return;
    shuttingDown = true;
    void (async () => {
      trayController?.stop();
      following?.follower.stop();
      following?.link.stop();
      throttle.stop();
      alertNotifier.stop();
      presenter.dispose();
      offErrors();
      offAlerts();
      offFrames();
      unregisterIpc();
      await relay.stop();
      logger.info('stopped');
      tray.destroy();
      shutdownDone = true;
      app.quit();
    })();
  });

  function autostartDeps() {
    return {
      platform: process.platform,
      app,
      configHome: process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'),
      executable: process.env.APPIMAGE || process.execPath,
      desktopFileName: `${APP_ID}.desktop`,
      productName: PRODUCT_NAME,
    };
  }

  async function showBootstrapPassword(url: string, password: string): Promise<void> {
    // Shown once, never logged: the browser dashboard at the relay URL needs it; the app window does not.
    const { response } = await dialog.showMessageBox({
      type: 'info',
      title: PRODUCT_NAME,
      message: 'An admin account was created for the browser dashboard',
      detail: `Dashboard: ${url}\nUser: admin\nPassword: ${password}\n\nThis password is shown only once. The desktop window does not need it.`,
      buttons: ['Copy password', 'Close'],
      defaultId: 1,
    });
    if (response === 0) clipboard.writeText(password);
  }
}
