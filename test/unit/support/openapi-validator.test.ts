// The test-support OpenAPI 3.0 validator is itself a real validator: each
// keyword it claims to support rejects what it should, closedness sees
// through allOf and $ref, and a keyword it does not know is refused.
import { describe, expect, it } from 'vitest';
import { OpenApiValidator, type Schema } from '../../support/openapi-validator.js';

const schemas: Record<string, Schema> = {
  'Pbx.Base': { type: 'object', properties: { Id: { type: 'integer', format: 'int32', minimum: -2147483648, maximum: 2147483647 }, Number: { type: 'string', nullable: true } } },
  'Pbx.Kind': { title: 'Kind', type: 'string', enum: ['A', 'B'] },
  'Pbx.Tag': { type: 'object', properties: { Name: { type: 'string', maxLength: 5 } }, required: ['Name'] },
  'Pbx.Thing': {
    allOf: [
      { $ref: '#/components/schemas/Pbx.Base' },
      {
        title: 'Thing',
        type: 'object',
        properties: {
          When: { type: 'string', format: 'date-time', nullable: true },
          Kind: { allOf: [{ $ref: '#/components/schemas/Pbx.Kind' }], nullable: true },
          StrictKind: { $ref: '#/components/schemas/Pbx.Kind' },
          Tags: { type: 'array', items: { $ref: '#/components/schemas/Pbx.Tag' } },
          Size: { type: 'integer', format: 'int64', nullable: true },
          Code: { type: 'string', pattern: '^[A-Z]+$' },
          On: { type: 'boolean' },
        },
      },
    ],
  },
};
const v = new OpenApiValidator(schemas);
const messages = (value: unknown, name = 'Pbx.Thing') => v.validate(name, value).map((i) => `${i.path} ${i.message}`);

describe('OpenApiValidator', () => {
  it('accepts a conforming object with inherited (allOf/$ref) properties, nulls where nullable and OData annotations', () => {
    expect(messages({
      '@odata.context': 'x', Id: 7, Number: null, When: '2026-11-23T10:01:02Z', Kind: null, StrictKind: 'A',
      Tags: [{ Name: 'MS' }], Size: 2 ** 40, Code: 'ABC', On: true,
    })).toEqual([]);
    expect(messages({})).toEqual([]);
  });

  it('is closed: a property no branch declares fails, at any depth', () => {
    expect(messages({ Id: 1, Uptime: 5 })).toEqual(['$.Uptime is not in the schema']);
    expect(messages({ Tags: [{ Name: 'x', Extra: 1 }] })).toEqual(['$.Tags[0].Extra is not in the schema']);
  });

  it('checks type, int32/int64, minimum/maximum, enum, pattern, maxLength, date-time and required', () => {
    expect(messages({ Id: '1' })).toEqual(['$.Id is string "1", expected integer']);
    expect(messages({ Id: 1.5 })).toEqual(['$.Id is number 1.5, expected integer']);
    expect(messages({ Id: 2 ** 31 })).toEqual(['$.Id 2147483648 is out of int32 range', '$.Id 2147483648 > maximum 2147483647']);
    expect(messages({ Size: 0.5 })).toEqual(['$.Size is number 0.5, expected integer']);
    expect(messages({ Kind: 'C' })).toEqual(['$.Kind "C" is not one of A, B']);
    expect(messages({ Code: 'abc' })).toEqual(['$.Code "abc" does not match ^[A-Z]+$']);
    expect(messages({ Tags: [{ Name: 'toolong' }] })).toEqual(['$.Tags[0].Name is longer than 5']);
    expect(messages({ Tags: [{}] })).toEqual(['$.Tags[0] misses required property Name']);
    expect(messages({ When: '2026-11-23 10:01:02' })).toEqual(['$.When "2026-11-23 10:01:02" is not a date-time']);
    expect(messages({ When: '2026-02-30T10:01:02Z' })).toEqual([]); // shape only, like the swagger's own pattern
    expect(messages({ On: 'true' })).toEqual(['$.On is string "true", expected boolean']);
    expect(messages({ Tags: {} })).toEqual(['$.Tags is an object, expected array']);
    expect(messages([], 'Pbx.Base')).toEqual(['$ is an array, expected object']);
  });

  it('refuses null unless nullable, also through a bare $ref', () => {
    expect(messages({ StrictKind: null })).toEqual(['$.StrictKind is null but not nullable']);
    expect(messages({ On: null })).toEqual(['$.On is null but not nullable']);
    expect(messages(null)).toEqual(['$ is null but not nullable']);
  });

  it('throws on a schema it cannot judge instead of passing it', () => {
    const odd = new OpenApiValidator({ X: { type: 'object', oneOf: [] }, Y: { $ref: '#/definitions/Z' }, W: { type: 'tuple' } });
    expect(() => odd.validate('X', {})).toThrow(/unsupported schema keyword "oneOf"/);
    expect(() => odd.validate('Y', {})).toThrow(/unsupported \$ref/);
    expect(() => odd.validate('W', 1)).toThrow(/unsupported type "tuple"/);
    expect(() => odd.validate('Nope', {})).toThrow(/no schema named Nope/);
  });
});
