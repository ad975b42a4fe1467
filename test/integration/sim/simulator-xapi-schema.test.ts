// Every XAPI answer of the simulator, in both version profiles, validated
// CLOSED against 3CX's own swagger schemas (extracted to
// test/fixtures/3cx/xapi-schemas.json): no invented field, no wrong type.
// The documented ActiveCalls example the client tests parse is checked too.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import { OpenApiValidator, type Schema } from '../../support/openapi-validator.js';
import { accessToken, bearerFetch } from '../../support/sim-client.js';

const root = path.resolve(import.meta.dirname, '../../..');
const COPY = path.join(root, 'test/fixtures/3cx/xapi-schemas.json');
const SHARED = path.resolve(root, '../shared/3cx/xapi-schemas.json');

interface SchemaFile {
  paths: Record<string, { get?: { responses: Record<string, { $ref?: string; content?: { 'application/json': { schema: Schema } } }> } }>;
  schemas: Record<string, Schema>;
}
const file = JSON.parse(readFileSync(COPY, 'utf8')) as SchemaFile;
const validator = new OpenApiValidator(file.schemas);

/** What a GET path answers per the swagger: a collection of an entity, or one entity. */
function answerShape(p: string): { collectionOf: string } | { entity: string } {
  const ok = file.paths[p]?.get?.responses['200'];
  const collection = /^#\/components\/responses\/(.+)CollectionResponse$/.exec(ok?.$ref ?? '');
  if (collection) return { collectionOf: collection[1]! };
  const ref = (ok?.content?.['application/json'].schema.$ref as string | undefined) ?? '';
  return { entity: ref.replace('#/components/schemas/', '') };
}

/** Issues of an answer to GET `p`: the OData envelope, then every entity. */
function issuesOf(p: string, body: unknown): string[] {
  const shape = answerShape(p);
  if ('entity' in shape) return validator.validate(shape.entity, body).map((i) => `${p} ${i.path} ${i.message}`);
  const envelope = body as Record<string, unknown>;
  const extra = Object.keys(envelope).filter((k) => !['@odata.context', '@odata.count', '@odata.nextLink', 'value'].includes(k));
  if (!Array.isArray(envelope.value) || extra.length > 0) return [`${p}: not an OData collection envelope (${extra.join(', ')})`];
  return envelope.value.flatMap((item, i) => validator.validate(shape.collectionOf, item, `$.value[${i}]`).map((x) => `${p} ${x.path} ${x.message}`));
}

it('the committed schema copy is identical to ../shared/3cx/xapi-schemas.json when that exists', () => {
  if (!existsSync(SHARED)) return;
  expect(readFileSync(COPY, 'utf8')).toBe(readFileSync(SHARED, 'utf8'));
});

it('the documented ActiveCalls example (docs/3cx-v20.md, parsed by the client tests) conforms', () => {
  const example = {
    '@odata.context': 'https://pbx.example.com/xapi/v1/$metadata#ActiveCalls',
    value: [{ Id: 1234, Caller: '100 Anna Ford', Callee: '+4930123456', Status: 'Talking', LastChangeStatus: '2026-11-23T10:01:02Z', EstablishedAt: '2026-11-23T10:00:40Z', ServerNow: '2026-11-23T10:01:05Z' }],
  };
  expect(issuesOf('/ActiveCalls', example)).toEqual([]);
  // …and the check would notice an invented field.
  expect(issuesOf('/ActiveCalls', { ...example, value: [{ ...example.value[0], Duration: 25 }] })).toEqual(['/ActiveCalls $.value[0].Duration is not in the schema']);
});

describe.each(['20.0.7.1080', '20.0.9.2000'])('simulator %s', (pbxVersion) => {
  let sim: Simulator;
  afterEach(async () => sim.stop());

  it('answers every XAPI GET with only fields of the swagger', async () => {
    sim = await startSimulator({ pbxVersion, seed: 3 });
    // Calls in every state XAPI can show.
    const queued = sim.placeInboundCall();
    const ringing = sim.placeInboundCall({ queue: '801' });
    sim.ring(ringing, '106');
    const talking = sim.placeInboundCall({ queue: '802' });
    sim.answer(talking, '113');
    const transferring = sim.placeOutgoingCall('103', '104');
    sim.answer(transferring);
    sim.transfer(transferring, '105');
    sim.placeOutgoingCall('100', '+4930111222');
    expect(sim.activeCalls().map((c) => c.Status).sort()).toEqual(['Dialing', 'Ringing', 'Talking', 'Talking', 'Transferring']);
    expect(sim.activeCalls().find((c) => c.Id === queued)).toMatchObject({ Status: 'Talking', Callee: '800 Sales' });

    const token = await accessToken(sim);
    const gets: Array<[string, string]> = [
      ['/ActiveCalls', 'ActiveCalls'],
      ['/ActiveCalls', 'ActiveCalls?$select=Id,Status&$top=2'],
      ['/SystemStatus', 'SystemStatus'],
      ['/Users', 'Users'],
      ['/Queues', 'Queues'],
      ['/Queues', 'Queues?$expand=Agents'],
      ['/Queues({Id})/Agents', 'Queues(1)/Agents'],
      ['/Queues({Id})/Agents', 'Queues(3)/Agents'],
    ];
    for (const [p, url] of gets) {
      const r = await bearerFetch(sim, token, `/xapi/v1/${url}`);
      expect([url, r.status]).toEqual([url, 200]);
      expect(issuesOf(p, r.body)).toEqual([]);
    }
    const status = (await bearerFetch(sim, token, '/xapi/v1/SystemStatus')).body as Record<string, unknown>;
    expect(status.Version).toBe(pbxVersion);

    // DropCall: 200 with Pbx.IActionResult, which the extracted schemas do not
    // define (no properties in 3CX's swagger either): an empty object.
    const drop = await bearerFetch(sim, token, `/xapi/v1/ActiveCalls(${talking})/Pbx.DropCall`, { method: 'POST' });
    expect([drop.status, drop.body]).toEqual([200, {}]);
  });
});
