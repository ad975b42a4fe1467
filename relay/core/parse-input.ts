// Input is validated with zod wherever it enters: HTTP routes, the WebSocket
// upgrade, Electron IPC, and the services themselves (HTTP and IPC both reach
// them). A failed parse becomes one kind of message everywhere: it names the
// field and says what is wrong with it, never echoing zod's internals.
import type { z } from 'zod';
import { RelayError } from './relay-error.js';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Up to three issues, each naming its field (or `where` for the value as a whole). */
export function describeIssues(error: z.ZodError, where: string, input?: unknown): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `${where}: unknown ${issue.keys.length > 1 ? 'fields' : 'field'} ${issue.keys.map((k) => `\`${k}\``).join(', ')}`;
      }
      const field = issue.path.length ? `\`${issue.path.join('.')}\`` : where;
      const missing = issue.path.length > 0 && valueAt(input, issue.path) === undefined
        // An absent enum field says "Invalid option": it is missing, not wrong.
        && (issue.code === 'invalid_type' || issue.code === 'invalid_union' || issue.code === 'invalid_value');
      const msg = missing
        ? 'is required'
        // A union (date-time or date) says only "Invalid input": use its first branch's message.
        : issue.code === 'invalid_union' ? (issue.errors[0]?.[0]?.message ?? issue.message) : issue.message;
      // Custom messages may already name a field ("`from` must not be after `to`").
      return msg.startsWith('`') ? msg : `${field} ${msg}`;
    })
    .join('; ');
}

/** Parse or throw RelayError bad_request naming the offending field(s); `where` names the value as a whole. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw RelayError.badRequest(describeIssues(result.error, where, input));
  return result.data;
}
