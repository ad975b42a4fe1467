// AdminOperations and DesktopOperations that record each call and answer
// with a fixed value of the right shape: the collaborator of the IPC layer
// under test, which only has to carry calls and answers across.
import type { AdminOperations } from '../../../../relay/contract/admin-operations.js';
import { ADMIN_OPERATION_NAMES } from '../../../../relay/contract/admin-operations.js';
import type { DesktopOperations } from '../../../../relay/contract/ipc-channels.js';
import { DESKTOP_OPERATION_NAMES } from '../../../../relay/contract/ipc-channels.js';

export interface RecordedCall { op: string; args: unknown[] }

export function recordingOperations(answer: (op: string, args: unknown[]) => unknown = (op) => ({ answeredBy: op })) {
  const calls: RecordedCall[] = [];
  const make = (names: readonly string[]) => Object.fromEntries(names.map((op) => [
    op,
    async (...args: unknown[]) => {
      calls.push({ op, args });
      return answer(op, args);
    },
  ]));
  return {
    calls,
    admin: make(ADMIN_OPERATION_NAMES) as unknown as AdminOperations,
    desktop: make(DESKTOP_OPERATION_NAMES) as unknown as DesktopOperations,
  };
}

/** Valid arguments for every operation, as the renderer would send them. */
export const SAMPLE_ARGS: Record<string, unknown[]> = {
  health: [], me: [], stats: [], connections: [], activeCalls: [], listApiKeys: [], listUsers: [],
  reconnect: ['callcontrol'],
  dropCall: [42],
  listErrors: [{ severity: 'error', acknowledged: false, limit: 50 }],
  acknowledgeError: [3],
  createApiKey: ['CRM screen-pop', ['read']],
  revokeApiKey: ['k_abc123'],
  createUser: ['supervisor', 'a-long-password', 'viewer'],
  removeUser: ['supervisor'],
  setPassword: ['admin', 'another-long-password'],
  cdrPage: [{ from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', limit: 10 }],
  listAlerts: [{ state: 'fired', limit: 20 }],
  acknowledgeAlert: [7],
  listAlertRules: [],
  createAlertRule: [{ name: 'Sales waiting', kind: 'calls_waiting', threshold: 3, queueId: 800, severity: 'warning', quietHours: [{ days: [0, 6], from: '22:00', to: '06:00' }], cooldownS: 300, enabled: true }],
  updateAlertRule: [4, { name: 'Trunks', kind: 'trunk_down', threshold: 0, queueId: null, severity: 'critical', quietHours: [], cooldownS: 0, enabled: false }],
  deleteAlertRule: [4],
  queues: [], agents: [], pbx: [],
  setAgentQueueStatus: ['104', 'LoggedOut'],
  getSettings: [], startDemo: [], openLogsFolder: [], relayUrl: [],
  saveSettings: [{ pbxUrl: 'https://pbx.example.com', clientId: 'relay', clientSecret: 's3cret-value', relayPort: 8082 }],
  testConnection: [{ pbxUrl: 'https://pbx.example.com' }],
  exportCdrCsv: [{ from: '2026-11-01', to: '2026-11-02' }],
  clientMode: [], teamSettings: [], useOwnRelay: [],
  teamSignIn: [{ url: 'https://relay.example.com:8443', username: 'ann', password: 'correct horse' }],
  teamRequest: [{ method: 'GET', path: '/admin/errors?limit=50' }],
};
