// relay_secrets: keys the relay makes for itself (e.g. the device-token
// signing key), kept with the rest of its state instead of in a config file.
import type { Kysely } from 'kysely';
import { isoAt, type StoreSchema } from './store-schema.js';

export class SecretRepository {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** The secret called `name`, created with `make()` on first use; every relay sharing the store gets the same one. */
  async getOrCreate(name: string, make: () => string, now: number): Promise<string> {
    await this.db.insertInto('relay_secrets').values({ name, value: make(), created_at: isoAt(now) })
      .onConflict((oc) => oc.column('name').doNothing()).execute();
    const row = await this.db.selectFrom('relay_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    return row.value;
  }
}
