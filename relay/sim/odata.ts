// Error body, bearer check and collection query options ($select, $top,
// $skip, $expand) shared by the XAPI and Call Control routes.
// 3CX answers errors with an OData error body ([unconfirmed] exact codes).
import type { RequestHandler, Response } from 'express';
import { bearerToken } from '../core/bearer-token.js';
import type { SimulatorFaults } from './faults.js';
import type { TokenIssuer } from './token-endpoint.js';

export function sendODataError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** 500 fault first (a broken PBX fails before auth), then the bearer token. */
export function requireBearer(issuer: TokenIssuer, faults: SimulatorFaults): RequestHandler {
  return (req, res, next) => {
    if (faults.status500) {
      sendODataError(res, 500, 'InternalServerError', 'simulated server failure');
      return;
    }
    const token = bearerToken(req.get('authorization'));
    if (!token || !issuer.isValid(token)) {
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"').status(401).end();
      return;
    }
    next();
  };
}

/** Collection query options the simulator understands: `$select`, `$top`, `$skip`, `$expand`. */
export interface CollectionQuery { select: string[] | null; top: number | null; skip: number | null; expand: string[] }

/** An OData query option the simulator refuses, with the message 3CX-like servers give. */
export class ODataQueryError extends Error {}

function nonNegativeInt(name: string, value: unknown): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw new ODataQueryError(`The query parameter ${name} must be a non-negative integer.`);
  }
  return Number(value);
}

function nameList(name: string, value: unknown, allowed: readonly string[]): string[] | null {
  if (value === undefined) return null;
  const names = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (names.length === 0) throw new ODataQueryError(`The query parameter ${name} must list property names.`);
  for (const n of names) {
    if (!allowed.includes(n)) throw new ODataQueryError(`Could not find a property named '${n}' (${name}).`);
  }
  return names;
}

/**
 * Parses the collection options of `query`: `$select` and `$expand` may name
 * only `properties` and `navigation`; `$top`/`$skip` are non-negative
 * integers. Throws ODataQueryError for anything else.
 */
export function parseCollectionQuery(
  query: Record<string, unknown>,
  properties: readonly string[],
  navigation: readonly string[] = [],
): CollectionQuery {
  return {
    select: nameList('$select', query.$select, properties),
    top: nonNegativeInt('$top', query.$top),
    skip: nonNegativeInt('$skip', query.$skip),
    expand: nameList('$expand', query.$expand, navigation) ?? [],
  };
}

/** Applies `$skip`, `$top` and `$select` (expanded navigation properties are kept). */
export function applyCollectionQuery<T extends object>(items: readonly T[], q: CollectionQuery): Partial<T>[] {
  let value: readonly T[] = items;
  if (q.skip !== null) value = value.slice(q.skip);
  if (q.top !== null) value = value.slice(0, q.top);
  const select = q.select;
  if (!select) return [...value];
  const keep = new Set([...select, ...q.expand]);
  return value.map((item) => Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k))) as Partial<T>);
}
