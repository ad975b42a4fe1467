// API keys and users: who may use the relay.
import { Router, type Response } from 'express';
import type { AdminOperations } from '../../contract/admin-operations.js';
import { apiKeyIdParam, changePasswordBody, createApiKeyBody, createUserBody, username } from '../../contract/schemas.js';
import { RelayError } from '../../core/relay-error.js';
import type { AdminSessions } from '../http-deps.js';
import { adminSessionOf } from '../locals.js';
import { parseInput, parseParam } from '../validate.js';
import { sendJson } from '../send-json.js';

export function adminAccessRoutes(ops: (res: Response) => AdminOperations, sessions: AdminSessions): Router {
  const r = Router();
  r.get('/api-keys', async (_req, res) => {
    sendJson(res, { keys: await ops(res).listApiKeys() });
  });
  r.post('/api-keys', async (req, res) => {
    const body = parseInput(createApiKeyBody, req.body, 'body');
    sendJson(res, await ops(res).createApiKey(body.clientName, body.permissions), 201);
  });
  r.delete('/api-keys/:id', async (req, res) => {
    const id = parseParam(apiKeyIdParam, req.params.id, 'id');
    await ops(res).revokeApiKey(id);
    sendJson(res, { id, active: false });
  });
  r.get('/users', async (_req, res) => {
    sendJson(res, { users: await ops(res).listUsers() });
  });
  r.post('/users', async (req, res) => {
    const body = parseInput(createUserBody, req.body, 'body');
    await ops(res).createUser(body.username, body.password, body.role);
    sendJson(res, { username: body.username, role: body.role }, 201);
  });
  r.delete('/users/:username', async (req, res) => {
    const name = parseParam(username, req.params.username, 'username');
    await ops(res).removeUser(name);
    sendJson(res, { username: name, removed: true });
  });
  r.post('/users/:username/password', async (req, res) => {
    const name = parseParam(username, req.params.username, 'username');
    const body = parseInput(changePasswordBody, req.body, 'body');
    const me = adminSessionOf(res).user;
    // Changing one's own password asks for the current one when given, and
    // always for a viewer (an admin may reset anyone's).
    if (name === me.username && (body.currentPassword !== undefined || me.role !== 'admin')) {
      if (!body.currentPassword || !(await sessions.verifyPassword(name, body.currentPassword))) {
        throw RelayError.forbidden('`currentPassword` is missing or wrong');
      }
    }
    await ops(res).setPassword(name, body.password);
    sendJson(res, { username: name, passwordChanged: true });
  });
  return r;
}
