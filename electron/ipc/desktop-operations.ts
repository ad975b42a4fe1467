// The desktop-only operations behind the settings page and shell actions.
// Secrets go to the SecretStore and never come back out (the view says only
// whether one is set); everything else goes to the settings JSON; then the
// running relay is told, restarting it only when the port or mode changed.
import { finished } from 'node:stream/promises';
import type { ConnectionTestResult, DesktopOperations, DesktopSettingsInput, DesktopSettingsView, ExportProgress } from '../../relay/contract/ipc-channels.js';
import type { Logger } from '../../relay/core/logger.js';
import type { SecretName, SecretStore } from '../secrets/secret-store.js';
import { RelayError, describeError } from '../../relay/core/relay-error.js';
import type { RelayHost } from '../relay/relay-host.js';
import { relayPaused } from '../relay/relay-host.js';
import type { UpstreamCandidate } from '../settings/connection-test.js';
import { readSecrets, reconfigurationFrom, splitDbUrlPassword, upstreamsFrom } from '../settings/relay-config.js';
import type { DesktopSettings, SettingsStore } from '../settings/settings-store.js';
import type { TeamOperations } from '../team/team-mode.js';

export interface DesktopOperationsDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  /** Why the OS keychain is not used, shown on the settings page; null or absent when it is. */
  keychainUnavailable?: string | null;
  relay: Pick<RelayHost, 'reconfigure' | 'restart' | 'url' | 'exportCdrCsv'>;
  applyAutostart: (enabled: boolean) => Promise<void>;
  testConnections: (candidate: UpstreamCandidate) => Promise<ConnectionTestResult[]>;
  openLogsFolder: () => Promise<void>;
  /** Native save dialog; null when the person cancelled. */
  chooseCsvPath: (suggestedName: string) => Promise<string | null>;
  createOutput: (filePath: string) => NodeJS.WritableStream & { destroy(error?: Error): unknown };
  removeFile: (filePath: string) => Promise<void>;
  sendExportProgress: (progress: ExportProgress) => void;
  logger: Logger;
  /** The team relay operations (electron/team/team-mode.ts). */
  team: TeamOperations;
  now?: () => number;
}

/** In team mode this desktop runs no relay: the team's leader holds the one 3CX token. */
const inTeamMode = () => new RelayError('team_mode', 409,
  'This desktop is connected to a team relay and runs no relay of its own; choose "Run my own relay" first.');

const PROGRESS_INTERVAL_MS = 100;

function destroyAndWaitClosed(out: NodeJS.WritableStream & { destroy(error?: Error): unknown }): Promise<void> {
  const stream = out as NodeJS.WritableStream & { closed?: boolean; once(event: 'close', fn: () => void): unknown };
  const closed = stream.closed ? Promise.resolve() : new Promise<void>((resolve) => void stream.once('close', resolve));
  out.destroy();
  return closed;
}

function toView(s: DesktopSettings, secrets: SecretStore, has: Record<'pbxClientSecret' | 'cdrDbPassword', boolean>, keychainUnavailable: string | null): DesktopSettingsView {
  const view: DesktopSettingsView = {
    pbxUrl: s.pbxUrl,
    clientId: s.clientId,
    hasClientSecret: has.pbxClientSecret,
    cdrDbUrl: s.cdrDbUrl,
    hasCdrPassword: has.cdrDbPassword,
    pbxIniPath: s.pbxIniPath,
    ...(s.pbxIniSections ? { pbxIniSections: s.pbxIniSections } : {}),
    relayPort: s.relayPort,
    autostart: s.autostart,
    demo: s.demo,
  };
  if (secrets.backend !== 'env-file') view.secretStorage = secrets.backend;
  if (keychainUnavailable) view.keychainUnavailable = keychainUnavailable;
  return view;
}

/** The settings and secrets that `input` would produce, without saving anything. */
function merge(current: DesktopSettings, input: DesktopSettingsInput) {
  const next: DesktopSettings = { ...current };
  const secretChanges: Partial<Record<SecretName, string>> = {};
  if (input.pbxUrl !== undefined) next.pbxUrl = input.pbxUrl;
  if (input.clientId !== undefined) next.clientId = input.clientId;
  if (input.pbxIniPath !== undefined) next.pbxIniPath = input.pbxIniPath;
  if (input.pbxIniSections !== undefined) {
    next.pbxIniSections = { server: '', database: '', readonly: '', ...next.pbxIniSections, ...input.pbxIniSections };
  }
  if (input.relayPort !== undefined) next.relayPort = input.relayPort;
  if (input.autostart !== undefined) next.autostart = input.autostart;
  if (input.cdrDbUrl !== undefined) {
    // A password typed into the URL goes to the SecretStore like the separate field.
    const { url, password } = splitDbUrlPassword(input.cdrDbUrl);
    next.cdrDbUrl = url;
    if (password !== null) secretChanges.cdrDbPassword = password;
  }
  if (input.cdrPassword !== undefined) secretChanges.cdrDbPassword = input.cdrPassword;
  if (input.clientSecret !== undefined) secretChanges.pbxClientSecret = input.clientSecret;
  const touchesUpstreams = ['pbxUrl', 'clientId', 'clientSecret', 'cdrDbUrl', 'cdrPassword', 'pbxIniPath', 'pbxIniSections']
    .some((k) => input[k as keyof DesktopSettingsInput] !== undefined);
  // Entering real PBX settings leaves the demo.
  if (touchesUpstreams) next.demo = false;
  return { next, secretChanges, touchesUpstreams };
}

export function createDesktopOperations(deps: DesktopOperationsDeps): DesktopOperations {
  const { settings, secrets, relay, logger } = deps;
  const now = deps.now ?? Date.now;

  const view = async (s: DesktopSettings) => {
    const stored = await readSecrets(secrets);
    return toView(s, secrets, { pbxClientSecret: stored.pbxClientSecret !== null, cdrDbPassword: stored.cdrDbPassword !== null }, deps.keychainUnavailable ?? null);
  };

  return {
    ...deps.team,

    async getSettings() {
      return view(await settings.load());
    },

    async saveSettings(input) {
      const current = await settings.load();
      const { next, secretChanges, touchesUpstreams } = merge(current, input);
      for (const [name, value] of Object.entries(secretChanges) as [SecretName, string][]) {
        // An empty field means "remove the stored secret".
        if (value === '') await secrets.delete(name);
        else await secrets.set(name, value);
      }
      await settings.save(next);
      if (next.autostart !== current.autostart) await deps.applyAutostart(next.autostart);

      // Team mode: the PBX settings are kept for when the own relay runs again, and nothing starts now.
      if (next.mode === 'team') {
        logger.info('settings saved', { changed: Object.keys(input) });
        return view(next);
      }
      if (next.relayPort !== current.relayPort || next.demo !== current.demo) {
        await relay.restart();
      } else if (touchesUpstreams) {
        await relay.reconfigure(reconfigurationFrom(upstreamsFrom(next, await readSecrets(secrets))));
      }
      logger.info('settings saved', { changed: Object.keys(input) });
      return view(next);
    },

    async testConnection(input) {
      const { next, secretChanges } = merge(await settings.load(), input);
      const stored = await readSecrets(secrets);
      const candidate = upstreamsFrom(next, {
        pbxClientSecret: secretChanges.pbxClientSecret ?? stored.pbxClientSecret,
        cdrDbPassword: secretChanges.cdrDbPassword ?? stored.cdrDbPassword,
      });
      return deps.testConnections(candidate);
    },

    async startDemo() {
      const current = await settings.load();
      if (current.mode === 'team') throw inTeamMode();
      if (current.demo) return;
      await settings.save({ ...current, demo: true });
      await relay.restart();
      logger.info('switched to the demo PBX');
    },

    openLogsFolder: () => deps.openLogsFolder(),

    async relayUrl() {
      const url = relay.url();
      if (!url) throw relayPaused();
      return url;
    },

    async exportCdrCsv(range) {
      const name = `call-records-${range.from.slice(0, 10)}-to-${range.to.slice(0, 10)}.csv`;
      const filePath = await deps.chooseCsvPath(name);
      if (!filePath) return null;
      const out = deps.createOutput(filePath);
      let lastSent = -Infinity;
      try {
        const { rows } = await relay.exportCdrCsv(range, out, (p) => {
          const t = now();
          if (t - lastSent < PROGRESS_INTERVAL_MS) return;
          lastSent = t;
          deps.sendExportProgress({ rows: p.rows, fraction: p.fraction });
        });
        if (!(out as { writableEnded?: boolean }).writableEnded) out.end();
        await finished(out);
        deps.sendExportProgress({ rows, fraction: 1 });
        return { path: filePath, rows };
      } catch (e) {
        // No half file left behind looking like a complete export.
        // Wait for the descriptor to close: a write stream still opening its
        // file would otherwise re-create it after the removal.
        await destroyAndWaitClosed(out);
        await deps.removeFile(filePath).catch(() => {});
        logger.warn('call record export failed', { error: describeError(e) });
        throw e;
      }
    },
  };
}
