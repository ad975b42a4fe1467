// The one place the two engines need different DDL: an auto-increment
// integer primary key (SQLite's INTEGER PRIMARY KEY AUTOINCREMENT vs
// PostgreSQL's identity column).
import { sql } from 'kysely';
import type { CreateTableBuilder } from 'kysely';
import type { StoreEngine } from '../store-schema.js';

export function idColumn<T extends string>(engine: StoreEngine, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return engine === 'sqlite'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity());
}

export function sqlRoleCheck() {
  return sql<boolean>`role in ('admin', 'viewer')`;
}
