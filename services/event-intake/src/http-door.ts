import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import * as grpc from '@grpc/grpc-js';
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Counter, Histogram } from 'prom-client';

import type { AccessGate, ApiKeyRecord, Refusal, RequestQuotas } from '@dmp/access';
import { toStatus } from '@dmp/grpc';
import { InvalidArgumentError, ResourceExhaustedError, type Logger, type Readiness } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

import type { Intake } from './intake';
import { readJsonRequest } from './json-events';
import type { RateLimiter } from './rate-limiter';

/** Largest request body, as for gRPC. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;

// gRPC status → HTTP status, the mapping of google.rpc.Code (and grpc-gateway).
const HTTP_STATUS: Partial<Record<grpc.status, number>> = {
  [grpc.status.INVALID_ARGUMENT]: 400,
  [grpc.status.UNAUTHENTICATED]: 401,
  [grpc.status.PERMISSION_DENIED]: 403,
  [grpc.status.NOT_FOUND]: 404,
  [grpc.status.RESOURCE_EXHAUSTED]: 429,
  [grpc.status.UNAVAILABLE]: 503,
  [grpc.status.DEADLINE_EXCEEDED]: 504,
  [grpc.status.UNIMPLEMENTED]: 501,
};

const tracer = trace.getTracer('@dmp/event-intake');

const requests = new Counter({
  name: 'http_server_requests_total',
  help: 'HTTP requests completed, by route and status code.',
  labelNames: ['route', 'status'],
  registers: [metricsRegistry],
});
const requestSeconds = new Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'Time from receiving an HTTP request to finishing its response.',
  labelNames: ['route'],
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

export interface HttpDoorOptions {
  port: number;
  /** Who may send: a secret key with the ingest scope, or a publishable key from one of its origins. */
  gate: AccessGate;
  /** The origins of every publishable key in force: browsers from these get CORS answers. */
  browserOrigins: () => ReadonlySet<string>;
  /** Publishable keys' own rates (events per second per key, per replica). */
  keyLimiter: RateLimiter;
  /** Tenants' and keys' request rates (ingest), as on gRPC. */
  quotas: RequestQuotas;
  intake: Intake;
  readiness: Readiness;
  log: Logger;
}

export interface HttpDoor {
  port: number;
  /** Stops accepting connections and waits for requests in flight. */
  close: () => Promise<void>;
}

/**
 * The HTTP/JSON door for web and app SDKs: `POST /v1/events` with the body of an IngestRequest in JSON,
 * answered with the IngestResponse in JSON (per-event results exactly as over gRPC, because the same
 * Intake handles both). Errors are `{"error": {"code": "INVALID_ARGUMENT", "message": "events: …"}}` with the
 * HTTP status of the gRPC code and, for backpressure, a Retry-After header. GET /readyz mirrors readiness.
 * Callers send `authorization: Bearer <key>`: a secret key with the ingest scope (servers), or a publishable
 * key (web pages, apps), accepted only from its origins and at its own rate.
 */
export async function startHttpDoor(options: HttpDoorOptions): Promise<HttpDoor> {
  const server: Server = createServer((req, res) => {
    const route = (req.url ?? '').split('?')[0] === '/v1/events' ? '/v1/events' : 'other';
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      requests.inc({ route, status: String(res.statusCode) });
      requestSeconds.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    // A server span per request, continuing the caller's trace (W3C traceparent), active while intake
    // publishes, so the trace reaches the consumers of the events as over gRPC.
    const parent = propagation.extract(ROOT_CONTEXT, req.headers, {
      get: (headers, key) => headers[key],
      keys: (headers) => Object.keys(headers),
    });
    const attributes = { 'http.request.method': req.method ?? '', 'url.path': route };
    tracer.startActiveSpan(`${req.method ?? ''} ${route}`, { kind: SpanKind.SERVER, attributes }, parent, (span) => {
      handle(req, res, options)
        .catch((error: unknown) => {
          options.log.error('HTTP request failed', { error });
          if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
        })
        .finally(() => {
          span.setAttribute('http.response.status_code', res.statusCode);
          if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        });
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '0.0.0.0', resolve);
  });
  options.log.info('HTTP door listening', { port: (server.address() as AddressInfo).port });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HttpDoorOptions): Promise<void> {
  setCors(req, res, options.browserOrigins());
  const path = (req.url ?? '').split('?')[0];
  if (path === '/readyz' && req.method === 'GET') {
    return sendJson(res, options.readiness.ready ? 200 : 503, { ready: options.readiness.ready });
  }
  if (path !== '/v1/events') return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${path}` } });
  if (req.method === 'OPTIONS') return void res.writeHead(204).end();
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST, OPTIONS');
    return sendJson(res, 405, { error: { code: 'UNIMPLEMENTED', message: 'use POST' } });
  }
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return sendJson(res, 415, {
      error: { code: 'INVALID_ARGUMENT', message: 'content-type must be application/json' },
    });
  }

  const admission = admit(req, options.gate);
  if ('refusal' in admission) {
    const { code, message } = admission.refusal;
    return sendJson(res, code === 'UNAUTHENTICATED' ? 401 : 403, { error: { code, message } });
  }
  const key = admission.key;

  const body = await readBody(req);
  if (body === undefined) {
    return sendJson(res, 413, {
      error: { code: 'RESOURCE_EXHAUSTED', message: `body is larger than ${MAX_BODY_BYTES} bytes` },
    });
  }
  try {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new InvalidArgumentError('body', 'is not valid JSON');
    }
    const request = readJsonRequest(json);
    const wrongTenant = options.gate.coversTenant(key, request.tenantId);
    if (wrongTenant) return sendJson(res, 403, { error: { code: wrongTenant.code, message: wrongTenant.message } });
    const over = options.quotas.take(key, request.tenantId, 'ingest');
    if (over) throw new ResourceExhaustedError(over.message, over.retryAfterMs);
    if (key.kind === 'publishable' && key.eventsPerSecond !== undefined) {
      const waitMs = options.keyLimiter.take(key.id, request.items.length, key.eventsPerSecond);
      if (waitMs > 0) {
        throw new ResourceExhaustedError(`API key ${key.id}: over its ${key.eventsPerSecond} events/s`, waitMs);
      }
    }
    const results = await options.intake.ingest(request.tenantId, request.items, 'http');
    sendJson(res, 200, { results });
  } catch (error) {
    const status = toStatus(error);
    const retryAfterMs = status.metadata.get('retry-after-ms')[0];
    if (retryAfterMs !== undefined) res.setHeader('retry-after', String(Math.ceil(Number(retryAfterMs) / 1000)));
    sendJson(res, HTTP_STATUS[status.code] ?? 500, {
      error: { code: grpc.status[status.code], message: status.details },
    });
  }
}

/** The caller's key, if it may send events here: ingest scope; a publishable key only from its origins. */
function admit(req: IncomingMessage, gate: AccessGate): { key: ApiKeyRecord } | { refusal: Refusal } {
  const admission = gate.authenticate(req.headers.authorization);
  if ('refusal' in admission) return admission;
  const { key } = admission;
  if (!key.scopes.includes('ingest')) {
    return { refusal: { code: 'PERMISSION_DENIED', message: `API key ${key.id} lacks the ingest scope` } };
  }
  const origin = req.headers.origin;
  if (key.kind === 'publishable' && (origin === undefined || !(key.allowedOrigins ?? []).includes(origin))) {
    const from = origin === undefined ? 'without an Origin header' : `from ${origin}`;
    return { refusal: { code: 'PERMISSION_DENIED', message: `publishable key ${key.id} is not accepted ${from}` } };
  }
  return { key };
}

/**
 * The body, or undefined when it is over the limit. An oversized body is still read to its end and
 * dropped, so that the client, which sends before it reads, gets to read the 413; past 64 MiB the
 * connection is cut instead.
 */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > DISCARD_LIMIT_BYTES) req.destroy();
    });
    req.once('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** CORS answers only origins some publishable key names; the key sent then decides (admit). */
function setCors(req: IncomingMessage, res: ServerResponse, origins: ReadonlySet<string>): void {
  res.setHeader('vary', 'origin');
  const origin = req.headers.origin;
  if (!origin || !origins.has(origin)) return;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
  res.setHeader('access-control-allow-headers', 'authorization, content-type');
  res.setHeader('access-control-max-age', '600');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
