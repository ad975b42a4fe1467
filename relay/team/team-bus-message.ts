// What relays of one team tell each other over the bus (team-bus.ts): store
// changes another relay must act on at once because it keeps something in
// memory (a verified key, an open WebSocket, the alert rules). Validated on
// receipt: the channel is open to every session of the database, so a
// payload is data to check, not a command to trust.
import { z } from 'zod';

const id = z.string().min(1).max(200);

export const teamBusMessage = z.union([
  /** An API key was revoked: drop it from the key cache, close its WebSockets. */
  z.object({ type: z.literal('api_key_revoked'), id }).strict(),
  /** One session ended (logout). */
  z.object({ type: z.literal('sessions_revoked'), sessionId: id }).strict(),
  /** Every session of a user ended (password change, removal). */
  z.object({ type: z.literal('sessions_revoked'), username: id }).strict(),
  /** Alert rules were added, changed or removed: the engine reads them again. */
  z.object({ type: z.literal('alert_rules_changed') }).strict(),
]);
export type TeamBusMessage = z.infer<typeof teamBusMessage>;

/** On the wire: the message and who sent it, so a relay skips its own. */
export const teamBusEnvelope = z.object({ v: z.literal(1), from: id, message: teamBusMessage }).strict();
export type TeamBusEnvelope = z.infer<typeof teamBusEnvelope>;
