// On a follower, hands the requests only the leader can answer
// (leader-routes.ts) to the leader: same method, path, query, JSON body and
// credentials; the answer (status, headers, body) streamed back as it comes,
// so a CSV export of any size passes through in constant memory and a client
// that hangs up stops the leader's export too. Followers never call 3CX.
//
// Mounted after the request policy and the JSON body parser (a bad Host or
// Origin is refused here, a malformed body is a 400 here, never forwarded),
// before the routes. Credentials are not checked here: the leader checks
// them against the same store, once.
//
// A forwarded request carries X-Relay-Forwarded-By; a follower never forwards
// such a request again (two members each believing the other leads would
// bounce it forever): it answers 503 and the client retries.
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream';
import type { RequestHandler } from 'express';
import { isCredentialSafeUrl } from '../contract/loopback.js';
import type { Logger } from '../core/logger.js';
import { describeError, RelayError } from '../core/relay-error.js';
import { needsLeader } from './leader-routes.js';

export const FORWARDED_BY_HEADER = 'x-relay-forwarded-by';
export const NO_LEADER_CODE = 'no_leader';
export const NO_LEADER_MESSAGE = 'no team leader is reachable; retry in a few seconds';

export interface LeaderProxyOptions {
  /** True while this relay is a follower; a leader (or a relay outside a team) answers everything itself. */
  isFollower(): boolean;
  /** The leader's base URL (`http(s)://host:port`), null while none is known. */
  leaderUrl(): string | null;
  /** This relay's member id, sent in X-Relay-Forwarded-By. */
  memberId: string;
  logger: Logger;
  /** How long the leader may take to start answering; default 60 s (longer than its own 3CX timeouts). */
  headersTimeoutMs?: number;
  /** CA certificate(s) of an https leader with a private certificate. */
  ca?: string | Buffer | (string | Buffer)[];
}

/** Request headers the leader needs; nothing else is passed on (cookies, Origin, Host: the follower has ruled on those). */
const FORWARDED_REQUEST_HEADERS = ['authorization', 'x-api-key', 'accept', 'user-agent'] as const;

/** Hop-by-hop headers (RFC 9110 §7.6.1): about one connection, never passed along. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

const unavailable = (message: string) => new RelayError(NO_LEADER_CODE, 503, message);

export function leaderProxy(opts: LeaderProxyOptions): RequestHandler {
  const logger = opts.logger.child({ component: 'leader-proxy' });
  const headersTimeoutMs = opts.headersTimeoutMs ?? 60_000;

  return (req, res, next) => {
    if (!needsLeader(req.method, req.path) || !opts.isFollower()) return next();
    if (req.headers[FORWARDED_BY_HEADER] !== undefined) {
      logger.warn('refused to forward a request another member forwarded here', { method: req.method, path: req.path, from: String(req.headers[FORWARDED_BY_HEADER]) });
      return next(unavailable('the team is changing leader (the request reached a member that does not lead); retry in a few seconds'));
    }
    const base = opts.leaderUrl();
    let target: URL;
    try {
      if (!base) throw new Error('no leader known');
      // Only the path and query come from the request: an absolute-form target
      // (`GET http://elsewhere/relay/cdr HTTP/1.1`) or a `//host` path resolved
      // against the leader's URL would send the request to a host of the caller's choosing.
      const asked = new URL(req.originalUrl, 'http://relay.invalid');
      target = new URL(base);
      target.pathname = asked.pathname;
      target.search = asked.search;
    } catch {
      return next(unavailable(NO_LEADER_MESSAGE));
    }
    // Keys and session tokens travel with the request: never in clear text
    // beyond this machine (a team member off loopback listens with TLS).
    if (!isCredentialSafeUrl(target)) {
      logger.error('refused to forward credentials to a leader URL without TLS', { leader: target.origin });
      return next(unavailable(NO_LEADER_MESSAGE));
    }

    const headers: http.OutgoingHttpHeaders = { [FORWARDED_BY_HEADER]: opts.memberId };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const address = req.socket.remoteAddress;
    if (address) headers['x-forwarded-for'] = address;
    // The body was parsed (and judged) here; the leader gets it re-encoded, never the raw bytes.
    const body = req.body === undefined ? null : Buffer.from(JSON.stringify(req.body));
    if (body) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = body.length;
    }

    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      logger.warn('team leader unreachable', { method: req.method, path: req.path, leader: target.origin, error: why });
      next(unavailable(NO_LEADER_MESSAGE));
    };

    const upstream = (target.protocol === 'https:' ? https : http).request(target, {
      method: req.method,
      headers,
      ...(opts.ca !== undefined && target.protocol === 'https:' ? { ca: opts.ca } : {}),
    });
    const timer = setTimeout(() => upstream.destroy(new Error(`no answer within ${headersTimeoutMs} ms`)), headersTimeoutMs);
    timer.unref();
    // The client hung up: stop asking (a CSV export on the leader stops with it).
    const onClientGone = () => {
      if (!res.writableFinished) upstream.destroy(new Error('client went away'));
    };
    res.on('close', onClientGone);

    upstream.on('error', (e) => {
      clearTimeout(timer);
      if (!res.headersSent) fail(describeError(e));
    });
    upstream.on('response', (answer) => {
      clearTimeout(timer);
      settled = true;
      res.statusCode = answer.statusCode ?? 502;
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
      }
      pipeline(answer, res, (e) => {
        res.off('close', onClientGone);
        // Cut mid-answer (leader gone, client gone): the truncation shows as a broken connection, never as a short 200.
        if (e) logger.debug('forwarded answer cut short', { method: req.method, path: req.path, error: describeError(e) });
      });
    });
    upstream.end(body ?? undefined);
  };
}
