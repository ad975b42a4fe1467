// XAPI (OData v4) routes the relay uses: ActiveCalls with $top/$skip, the
// DropCall action, and SystemStatus as a cheap health probe.
import express, { type Request, type Router } from 'express';
import type { CallModel } from './call-model.js';
import { sendODataError } from './odata.js';
import { EXTENSIONS } from './pbx-directory.js';

export interface XapiDeps {
  model: CallModel;
  now: () => number;
  startedAt: number;
  onRequest(): void;
  onDrop(callId: number): void;
}

function metadataUrl(req: Request, fragment: string): string {
  return `${req.protocol}://${req.get('host') ?? '127.0.0.1'}/xapi/v1/$metadata#${fragment}`;
}

function queryInt(value: unknown): number | null | 'bad' {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return 'bad';
  return Number(value);
}

export function xapiRouter(deps: XapiDeps): Router {
  const router = express.Router();
  router.use((_req, _res, next) => {
    deps.onRequest();
    next();
  });

  router.get('/ActiveCalls', (req, res) => {
    const top = queryInt(req.query.$top);
    const skip = queryInt(req.query.$skip);
    if (top === 'bad' || skip === 'bad') {
      sendODataError(res, 400, 'BadRequest', 'The query parameter $top/$skip must be a non-negative integer.');
      return;
    }
    let value = deps.model.activeCalls();
    if (skip !== null) value = value.slice(skip);
    if (top !== null) value = value.slice(0, top);
    res.json({ '@odata.context': metadataUrl(req, 'ActiveCalls'), value });
  });

  router.post(/^\/ActiveCalls\((\d+)\)\/Pbx\.DropCall$/, (req, res) => {
    const id = Number((req.params as Record<string, string>)[0]);
    if (!deps.model.get(id)) {
      sendODataError(res, 404, 'NotFound', `Call ${id} not found.`);
      return;
    }
    deps.model.hangUp(id, 'callee');
    deps.onDrop(id);
    res.status(204).end();
  });

  router.get('/SystemStatus', (req, res) => {
    res.json({
      '@odata.context': metadataUrl(req, 'SystemStatus/$entity'),
      FQDN: req.get('host') ?? '127.0.0.1',
      Version: '20.0.0.0 (simulator)',
      Activated: true,
      MaxSimCalls: 32,
      CallsActive: deps.model.size(),
      ExtensionsTotal: EXTENSIONS.length,
      ExtensionsRegistered: EXTENSIONS.length,
      HasUnregisteredSystemExtensions: false,
      Uptime: Math.floor((deps.now() - deps.startedAt) / 1000),
    });
  });

  router.use((req, res) => sendODataError(res, 404, 'NotFound', `No route for ${req.method} /xapi/v1${req.path}`));
  return router;
}
