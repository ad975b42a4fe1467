// The desktop settings, without secrets, as JSON in userData. Written
// atomically (temp file + rename) so a crash mid-save never leaves half a
// file; read leniently (one bad field falls back to its default, an
// unreadable file is set aside) so a hand edit never stops the app starting.
import fs from 'node:fs/promises';
import { z } from 'zod';
import type { Logger } from '../../relay/core/logger.js';
import { RelayError } from '../../relay/core/relay-error.js';
import { writePrivateFileAtomic } from '../secrets/secret-store.js';

export const DEFAULT_RELAY_PORT = 8082;

export const desktopSettings = z.object({
  pbxUrl: z.string().max(2048).catch(''),
  clientId: z.string().max(200).catch(''),
  /** postgres:// URL without its password (that lives in the SecretStore). */
  cdrDbUrl: z.string().max(2048).catch(''),
  pbxIniPath: z.string().max(4096).catch(''),
  /** Section names of that ini file when 3CX's defaults do not fit ('' = default). */
  pbxIniSections: z.object({ server: z.string().max(200), database: z.string().max(200), readonly: z.string().max(200) }).optional().catch(undefined),
  relayPort: z.number().int().min(0).max(65535).catch(DEFAULT_RELAY_PORT),
  autostart: z.boolean().catch(false),
  /** Running against the built-in 3CX simulator ("Try the demo PBX"). */
  demo: z.boolean().catch(false),
  /** `own`: run the relay in this app (the default). `team`: be a client of a team relay (no relay here). */
  mode: z.enum(['own', 'team']).catch('own'),
  /** The team relay's origin (https, or http on loopback); its session and device tokens live in the SecretStore. */
  teamUrl: z.string().max(2048).catch(''),
  /** Who signed in last, to fill the form; not a secret. */
  teamUsername: z.string().max(200).catch(''),
});
export type DesktopSettings = z.infer<typeof desktopSettings>;

export const DEFAULT_SETTINGS: DesktopSettings = desktopSettings.parse({});

export interface SettingsStore {
  load(): Promise<DesktopSettings>;
  save(settings: DesktopSettings): Promise<void>;
}

/** True when a postgres URL carries a password; such a URL must never reach the settings file. */
export function urlHasPassword(url: string): boolean {
  return URL.canParse(url) && new URL(url).password !== '';
}

export function createSettingsStore(opts: { filePath: string; logger: Logger; now?: () => number }): SettingsStore {
  const { filePath, logger } = opts;
  const now = opts.now ?? Date.now;

  return {
    async load() {
      let raw: string;
      try {
        raw = await fs.readFile(filePath, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ...DEFAULT_SETTINGS };
        throw e;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = undefined;
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        // Kept, not deleted: the person may want to recover what they typed.
        const aside = `${filePath}.corrupt-${now()}`;
        await fs.rename(filePath, aside);
        logger.warn('settings file was unreadable; started from defaults', { setAsideAs: aside });
        return { ...DEFAULT_SETTINGS };
      }
      const settings = desktopSettings.parse(parsed);
      if (urlHasPassword(settings.cdrDbUrl)) {
        logger.warn('settings file held a database password in cdrDbUrl; ignoring that URL');
        settings.cdrDbUrl = '';
      }
      return settings;
    },
    async save(settings) {
      const valid = desktopSettings.parse(settings);
      if (urlHasPassword(valid.cdrDbUrl)) {
        throw new RelayError('internal_error', 500, 'refusing to write a database password into the settings file');
      }
      await writePrivateFileAtomic(filePath, `${JSON.stringify(valid, null, 2)}\n`);
    },
  };
}
