// From what the settings page saved (JSON without secrets + the SecretStore)
// to what the relay service and the connection test need.
import type { SecretStore } from '../secrets/secret-store.js';
import type { CdrConfig, PbxConfig, RelayConfig } from '../../relay/service.js';
import type { UpstreamCandidate } from './connection-test.js';
import type { DesktopSettings } from './settings-store.js';

/** A postgres URL split into the URL without its password and the password (moved to the SecretStore). */
export function splitDbUrlPassword(url: string): { url: string; password: string | null } {
  if (!URL.canParse(url)) return { url, password: null };
  const u = new URL(url);
  if (!u.password) return { url, password: null };
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), password };
}

export function withDbPassword(url: string, password: string | null): string {
  if (!password || !URL.canParse(url)) return url;
  const u = new URL(url);
  if (!u.username) return url; // a password needs a user name in a postgres URL
  u.password = encodeURIComponent(password);
  return u.toString();
}

export interface SecretsSnapshot { pbxClientSecret: string | null; cdrDbPassword: string | null }

export async function readSecrets(secrets: SecretStore): Promise<SecretsSnapshot> {
  const [pbxClientSecret, cdrDbPassword] = await Promise.all([secrets.get('pbxClientSecret'), secrets.get('cdrDbPassword')]);
  return { pbxClientSecret, cdrDbPassword };
}

/** Missing parts stay null: the relay reports that component as `unconfigured`. */
export function upstreamsFrom(settings: Pick<DesktopSettings, 'pbxUrl' | 'clientId' | 'cdrDbUrl' | 'pbxIniPath' | 'pbxIniSections'>, secrets: SecretsSnapshot): UpstreamCandidate {
  const pbx: PbxConfig | null = settings.pbxUrl && settings.clientId && secrets.pbxClientSecret
    ? { baseUrl: settings.pbxUrl, clientId: settings.clientId, clientSecret: secrets.pbxClientSecret }
    : null;
  let cdr: CdrConfig | null = null;
  if (settings.cdrDbUrl) cdr = { url: withDbPassword(settings.cdrDbUrl, secrets.cdrDbPassword) };
  else if (settings.pbxIniPath) {
    // Only the names someone changed; empty ones keep 3CX's defaults.
    const sections = Object.fromEntries(Object.entries(settings.pbxIniSections ?? {}).filter(([, name]) => name));
    cdr = { iniPath: settings.pbxIniPath, ...(Object.keys(sections).length > 0 ? { iniSections: sections } : {}) };
  }
  return { pbx, cdr };
}

/** The relay's `reconfigure` argument: both keys always present, `undefined` meaning "not configured". */
export function reconfigurationFrom(upstreams: UpstreamCandidate): Partial<Pick<RelayConfig, 'pbx' | 'cdr'>> {
  return { pbx: upstreams.pbx ?? undefined, cdr: upstreams.cdr ?? undefined };
}

export interface RelayConfigBase {
  dataDir: string;
  dashboardDir?: string;
  version: string;
}

export function relayConfigFrom(settings: DesktopSettings, upstreams: UpstreamCandidate, base: RelayConfigBase): RelayConfig {
  const config: RelayConfig = {
    // The desktop relay is for this machine only: never another listen address.
    host: '127.0.0.1',
    port: settings.relayPort,
    dataDir: base.dataDir,
    allowedOrigins: [],
    allowedHostNames: [],
    version: base.version,
  };
  if (base.dashboardDir) config.dashboardDir = base.dashboardDir;
  if (upstreams.pbx) config.pbx = upstreams.pbx;
  if (upstreams.cdr) config.cdr = upstreams.cdr;
  return config;
}
