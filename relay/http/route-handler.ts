// What a route of the table (contract/routes.ts) runs once its guards passed
// and its input was validated: one call to one operation. The returned value
// is the JSON answer, sent with the table's status; `SENT` means the handler
// wrote the answer itself (a CSV stream, a pre-serialised document).
import type { Request, Response } from 'express';
import type { RouteId, RouteInput } from '../contract/routes.js';

export const SENT = Symbol('answer already sent');

export type RouteHandler<Id extends RouteId> = (input: RouteInput<Id>, req: Request, res: Response) => unknown;

/** Handlers for some routes; app.ts joins the groups and the compiler checks none is missing. */
export type RouteHandlers<Ids extends RouteId = RouteId> = { [Id in Ids]: RouteHandler<Id> };
