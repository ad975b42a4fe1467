// Services validate their own input with the contract's zod schemas too
// (the admin HTTP routes and Electron IPC both reach them); the first issue
// becomes a 400 a person can act on.
import type { z } from 'zod';
import { RelayError } from '../core/relay-error.js';

export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : what;
  throw RelayError.badRequest(`${field}: ${issue?.message ?? 'is invalid'}`);
}
