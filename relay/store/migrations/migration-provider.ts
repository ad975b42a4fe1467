// Numbered migrations, provided in code (no file-system scan, so bundling
// and tsx both work). Append new ones; never edit a released one.
import type { Migration, MigrationProvider } from 'kysely';
import type { StoreEngine } from '../store-schema.js';
import { migration001 } from './001_initial.js';
import { migration002 } from './002_sign_in_throttle.js';
import { migration003 } from './003_agent_audit.js';
import { migration004 } from './004_alerts.js';
import { migration005 } from './005_team_members.js';
import { migration006 } from './006_team_stream.js';

export function migrationProvider(engine: StoreEngine): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '001_initial': migration001(engine),
        '002_sign_in_throttle': migration002(),
        '003_agent_audit': migration003(engine),
        '004_alerts': migration004(engine),
        '005_team_members': migration005(),
        '006_team_stream': migration006(),
      };
    },
  };
}
