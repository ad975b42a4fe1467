// COPY … TO STDOUT through pg (relay/pbx/pg-copy-out.ts) against a real
// PostgreSQL 15: whole records in chunks, the row count PostgreSQL reports,
// the socket paused while nobody reads (so the database waits instead of
// filling the relay's memory), discard() ending the statement with the
// connection still usable, and errors passed on.
import type { Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyOut } from '../../../relay/pbx/pg-copy-out.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/test-postgres.js';

const ROWS = 200_000;
// ~100 bytes a record: about 20 MB in all.
const SQL = `COPY (SELECT i, repeat('x', 90) || ',"q"' FROM generate_series(1, ${ROWS}) AS i) TO STDOUT WITH (FORMAT csv)`;

describe('COPY TO STDOUT through pg', () => {
  let db: ScratchDatabase;
  const clients: pg.Client[] = [];
  const client = async () => {
    const c = new pg.Client({ connectionString: db.url });
    clients.push(c);
    await c.connect();
    return c;
  };

  beforeAll(async () => {
    db = await createScratchDatabase('pbx_copy_out');
  });

  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await db?.drop();
  });

  it('hands over whole records in chunks and counts them as PostgreSQL does', async () => {
    const c = await client();
    const copy = c.query(new CopyOut(SQL, { chunkBytes: 10_000 }));
    let rows = 0;
    let chunks = 0;
    let expected = 1;
    for (let chunk = await copy.next(); chunk; chunk = await copy.next()) {
      chunks++;
      const text = chunk.bytes.toString('utf8');
      expect(text.endsWith('\n')).toBe(true);
      const records = text.slice(0, -1).split('\n');
      expect(records).toHaveLength(chunk.rows);
      expect(chunk.lastRow.toString('utf8')).toBe(`${records.at(-1)}\n`);
      const want = records.map(() => `${expected++},"${'x'.repeat(90)},""q"""`);
      expect(records.join('\n')).toBe(want.join('\n'));
      rows += chunk.rows;
    }
    expect(rows).toBe(ROWS);
    expect(copy.rowCount).toBe(ROWS);
    // About 10,000 bytes each: a few thousand chunks, not one per row.
    expect(chunks).toBeGreaterThan(1000);
    expect(chunks).toBeLessThan(ROWS / 50);
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('pauses the socket while nobody reads, so PostgreSQL waits instead of filling memory', async () => {
    const c = await client();
    const socket = (c as unknown as { connection: pg.Connection }).connection.stream as Socket;
    const before = socket.bytesRead;
    const copy = c.query(new CopyOut(SQL, { chunkBytes: 64 * 1024, maxQueued: 4 }));
    expect(await copy.next()).not.toBeNull();
    await new Promise((res) => setTimeout(res, 700));
    // Four queued chunks, one being filled and what the last socket read brought: well under 1 MB of ~20 MB.
    expect(socket.bytesRead - before).toBeLessThan(1024 * 1024);
    let rows = 0;
    for (let chunk = await copy.next(); chunk; chunk = await copy.next()) rows += chunk.rows;
    expect(copy.rowCount).toBe(ROWS);
    expect(rows).toBeGreaterThan(ROWS - 1000);
    expect(socket.bytesRead - before).toBeGreaterThan(ROWS * 100);
  });

  it('discard() drops the rest and lets the statement end; the connection stays usable', async () => {
    const c = await client();
    const copy = c.query(new CopyOut(SQL));
    expect(await copy.next()).not.toBeNull();
    copy.discard();
    await copy.settled;
    expect(copy.finished).toBe(true);
    expect(await copy.next()).toBeNull();
    expect((await c.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });

  it('passes the statement’s error on, and the connection stays usable', async () => {
    const c = await client();
    const copy = c.query(new CopyOut('COPY (SELECT 1 / (i - 5) FROM generate_series(1, 10) AS i) TO STDOUT WITH (FORMAT csv)'));
    await expect((async () => {
      while (await copy.next());
    })()).rejects.toMatchObject({ code: '22012' });
    expect((await c.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
  });
});
