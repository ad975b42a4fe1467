import { describe, expect, it } from 'vitest';
import { createMainWindowOptions } from '../../../electron/security/window-options.js';

describe('main window options', () => {
  const options = createMainWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs', iconPath: '/app/icon.png' });
  const web = options.webPreferences!;

  it('sets every security flag of the Electron checklist explicitly', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
  });

  it('uses the given preload and never a remote-content option', () => {
    expect(web.preload).toBe('/app/dist/electron/preload.cjs');
    expect(web).not.toHaveProperty('enableRemoteModule');
    expect(web).not.toHaveProperty('additionalArguments');
    expect(options.icon).toBe('/app/icon.png');
  });

  it('starts hidden (shown on ready-to-show)', () => {
    expect(options.show).toBe(false);
  });
});
