// Argument validators for every IPC invoke channel: one zod tuple per
// operation, built from the same pieces the HTTP edge uses (schemas.ts). The
// main process parses each call's arguments with these before acting, so a
// compromised renderer can send nothing the admin HTTP API would refuse.
import { z } from 'zod';
import type { AdminOperationName, AdminOperations } from './admin-operations.js';
import type { DesktopOperationName, DesktopOperations } from './ipc-channels.js';
import {
  alertQuery, alertRuleInput, apiKeyIdParam, cdrPageQuery, cdrRangeQuery, componentParam, createApiKeyBody, createUserBody, errorQuery,
  extensionParam, password, queueStatusBody, username,
} from './schemas.js';
import { isLoopbackHost } from './loopback.js';
import { teamHttpRequest, teamSignInInput } from './ipc-team.js';

const none = z.tuple([]);
const positiveId = z.number().int().positive();

export const ADMIN_IPC_ARGS = {
  health: none,
  me: none,
  stats: none,
  connections: none,
  reconnect: z.tuple([componentParam]),
  activeCalls: none,
  dropCall: z.tuple([positiveId]),
  listErrors: z.tuple([errorQuery]),
  acknowledgeError: z.tuple([positiveId]),
  listApiKeys: none,
  createApiKey: z.tuple([createApiKeyBody.shape.clientName, createApiKeyBody.shape.permissions]),
  revokeApiKey: z.tuple([apiKeyIdParam]),
  listUsers: none,
  createUser: z.tuple([createUserBody.shape.username, createUserBody.shape.password, createUserBody.shape.role]),
  removeUser: z.tuple([username]),
  setPassword: z.tuple([username, password]),
  cdrPage: z.tuple([cdrPageQuery]),
  listAlerts: z.tuple([alertQuery]),
  acknowledgeAlert: z.tuple([positiveId]),
  listAlertRules: none,
  createAlertRule: z.tuple([alertRuleInput]),
  updateAlertRule: z.tuple([positiveId, alertRuleInput]),
  deleteAlertRule: z.tuple([positiveId]),
  queues: none,
  agents: none,
  pbx: none,
  setAgentQueueStatus: z.tuple([extensionParam, queueStatusBody.shape.status]),
} satisfies { [K in AdminOperationName]: z.ZodType<Parameters<AdminOperations[K]>> };

/** `https://…`, or `http://…` only for a loopback host (simulators); `''` clears the setting. */
const pbxUrl = z.string().trim().max(2048).refine((v) => {
  if (v === '') return true;
  if (!URL.canParse(v)) return false;
  const u = new URL(v);
  if (u.username || u.password) return false;
  return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname));
}, 'must be an https:// URL (http:// only for a loopback simulator), without credentials');

/** `postgres://user[:password]@host:port/db`, or `''` to clear. */
const cdrDbUrl = z.string().trim().max(2048).refine(
  (v) => v === '' || (URL.canParse(v) && ['postgres:', 'postgresql:'].includes(new URL(v).protocol)),
  'must be a postgres:// URL, e.g. postgres://logsreader_single@127.0.0.1:5480/database_single',
);

export const desktopSettingsInput = z.object({
  pbxUrl: pbxUrl.optional(),
  clientId: z.string().trim().max(200).optional(),
  clientSecret: z.string().max(1000).optional(),
  cdrDbUrl: cdrDbUrl.optional(),
  cdrPassword: z.string().max(1000).optional(),
  pbxIniPath: z.string().trim().max(4096).optional(),
  pbxIniSections: z.strictObject({
    server: z.string().trim().max(200),
    database: z.string().trim().max(200),
    readonly: z.string().trim().max(200),
  }).partial().optional(),
  relayPort: z.number().int().min(0).max(65535).optional(),
  autostart: z.boolean().optional(),
}).strict();

export const DESKTOP_IPC_ARGS = {
  getSettings: none,
  saveSettings: z.tuple([desktopSettingsInput]),
  testConnection: z.tuple([desktopSettingsInput]),
  startDemo: none,
  openLogsFolder: none,
  relayUrl: none,
  exportCdrCsv: z.tuple([cdrRangeQuery]),
  clientMode: none,
  teamSettings: none,
  teamSignIn: z.tuple([teamSignInInput]),
  useOwnRelay: none,
  teamRequest: z.tuple([teamHttpRequest]),
} satisfies { [K in DesktopOperationName]: z.ZodType<Parameters<DesktopOperations[K]>> };
