// zod at the HTTP edge: a request part that is absent (no body) is parsed as
// an empty object, so the message names the missing fields. The wording of
// every input error is relay/core/parse-input.ts's.
import type { z } from 'zod';
import { parseInput as parseValue } from '../core/parse-input.js';
import { RelayError } from '../core/relay-error.js';

/** Parse or throw RelayError bad_request naming the offending field(s). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: 'query' | 'body' | 'path'): z.output<S> {
  return parseValue(schema, input ?? {}, where);
}

/** A single path parameter, named in the message. */
export function parseParam<S extends z.ZodType>(schema: S, value: unknown, name: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw RelayError.badRequest(`path parameter \`${name}\` is not valid: ${result.error.issues[0]?.message ?? 'bad value'}`);
  return result.data;
}
