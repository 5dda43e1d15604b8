import { randomUUID } from 'node:crypto';

import {
  AccessGate,
  accessInterceptor,
  ApiKeyDirectory,
  auditRecord,
  auditSubject,
  checkPolicyCovers,
  RequestQuotas,
  type AdminChange,
} from '@dmp/access';
import { startGrpcServer, tlsFilesFromEnv, type GrpcServer, type ServiceBinding, type TlsFiles } from '@dmp/grpc';
import {
  auditStream,
  connectNats,
  ensureStream,
  JetStreamPublisher,
  ReplicaPresence,
  TenantDirectory,
} from '@dmp/messaging';
import { closeRedis, connectRedis, type Redis } from '@dmp/redis';
import { intEnv, stringEnv, type App } from '@dmp/runtime';
import { metricsRegistry, startMetricsServer, stopTracing } from '@dmp/telemetry';
import type { NatsConnection } from '@nats-io/transport-node';
import { Counter, Gauge } from 'prom-client';

export interface StartOptions {
  /** The service's name: its NATS and Redis connection names. */
  name: string;
  /** NATS server URL(s), comma separated. */
  natsUrl: string;
  /** Services that keep state in Redis. */
  redis?: {
    url: string;
    /** Caps and budgets live on a Redis that never evicts; by default the same one as the features. */
    capsUrl?: string;
    /** A command without a reply after this long fails (request paths keep it short). */
    commandTimeoutMs?: number;
  };
}

/** What every service stands on, connected, each with its shutdown step registered. */
export interface ServiceBase {
  nc: NatsConnection;
  /** The tenants this deployment serves, followed live. */
  tenants: TenantDirectory;
  /** Every API key, followed live; the gRPC server checks each call against them. */
  keys: ApiKeyDirectory;
  /** Who may call: for doors other than gRPC (intake's HTTP). */
  gate: AccessGate;
  /** Tenants' and keys' request rates, shared by this service's replicas: for doors other than gRPC. */
  quotas: RequestQuotas;
  /** TLS_CERT_FILE, TLS_KEY_FILE, TLS_CA_FILE: the gRPC server's, and the service's clients' (mTLS). */
  tls: TlsFiles | undefined;
  /** Replicas of this service heard from lately, this one included (heartbeats on NATS). */
  replicas: () => number;
  /** Only when `redis` was asked for; otherwise reading it throws. */
  redis: Redis;
  /** The caps Redis: `redis` itself unless CAPS_REDIS_URL names another. */
  capsRedis: Redis;
  /**
   * Starts the gRPC server (health, reflection, metrics, traces, API keys checked against the access policy,
   * admin changes audited) last, so it is the first thing to stop.
   */
  serve: (services: ServiceBinding[]) => Promise<GrpcServer>;
}

/**
 * The startup every service shares, in the order shutdown must undo: telemetry flushes last, then metrics,
 * Redis and NATS close after the consumers and the gRPC server registered after them have stopped.
 */
export async function startService(app: App, options: StartOptions): Promise<ServiceBase> {
  const auditReplicas = intEnv(process.env, 'AUDIT_STREAM_REPLICAS', 1, { min: 1, max: 5 });
  const tls = tlsFilesFromEnv(process.env);
  const natsUser = process.env['NATS_USER']?.trim();
  const natsPassword = natsUser ? stringEnv(process.env, 'NATS_PASSWORD') : undefined;
  // Calls per second per tenant across replicas unless its record says otherwise; 0: no limit.
  const defaultRates = {
    serve: intEnv(process.env, 'TENANT_SERVE_REQUESTS_PER_SECOND', 0, { min: 0 }),
    ingest: intEnv(process.env, 'TENANT_INGEST_REQUESTS_PER_SECOND', 0, { min: 0 }),
  };
  app.onShutdown('telemetry', stopTracing);
  // Ready only once the gRPC server listens too (GET /readyz answers before it does).
  app.readiness.require('grpc server');
  const metrics = await startMetricsServer(app.base.metricsPort, { ready: () => app.readiness.ready });
  app.onShutdown('metrics', metrics.close);

  let redis: Redis | undefined;
  let capsRedis: Redis | undefined;
  if (options.redis) {
    const { url, capsUrl = url, commandTimeoutMs } = options.redis;
    const connect = (redisUrl: string, suffix: string) => {
      const connection = connectRedis({
        url: redisUrl,
        name: `${options.name}${suffix}`,
        log: app.log,
        readiness: app.readiness,
        readinessName: `redis${suffix}`,
        ...(commandTimeoutMs !== undefined && { commandTimeoutMs }),
      });
      app.onShutdown(`redis${suffix}`, () => closeRedis(connection));
      return connection;
    };
    redis = connect(url, '');
    capsRedis = capsUrl === url ? redis : connect(capsUrl, '-caps');
  }

  const nats = await connectNats({
    url: options.natsUrl,
    name: options.name,
    ...(natsUser && { user: { name: natsUser, password: natsPassword! } }),
    log: app.log,
    readiness: app.readiness,
    onLost: (error) => app.fatal('NATS connection closed', error),
  });
  app.onShutdown('nats', nats.drain);
  const tenants = await TenantDirectory.start(nats.nc, app.log, app.readiness);
  const keys = await ApiKeyDirectory.start(nats.nc, app.log, app.readiness);
  const gate = new AccessGate((id) => keys.get(id));
  const presence = ReplicaPresence.start(nats.nc, options.name);
  app.onShutdown('presence', () => presence.stop());
  new Gauge({
    name: 'service_replicas',
    help: "Replicas of this service heard from lately (this one included): tenants' request rates are divided by it.",
    registers: [metricsRegistry],
    collect() {
      this.set(presence.count());
    },
  });
  const quotas = new RequestQuotas({
    tenantRate: (tenantId, kind) =>
      tenants.get(tenantId)?.requestsPerSecond?.[kind] ?? (defaultRates[kind] || undefined),
    replicas: () => presence.count(),
  });
  await ensureStream(nats.nc, auditStream(auditReplicas));
  const audit = auditWriter(app, nats.nc);

  const noRedis = (): never => {
    throw new Error(`${options.name} was started without Redis`);
  };
  return {
    nc: nats.nc,
    tenants,
    keys,
    gate,
    quotas,
    tls,
    replicas: () => presence.count(),
    get redis() {
      return redis ?? noRedis();
    },
    get capsRedis() {
      return capsRedis ?? noRedis();
    },
    serve: async (services) => {
      checkPolicyCovers(services.flatMap((service) => Object.values(service.definition).map((method) => method.path)));
      const server = await startGrpcServer({
        port: app.base.grpcPort,
        services,
        readiness: app.readiness,
        log: app.log,
        interceptors: [accessInterceptor(gate, { onAdminChange: audit, quotas })],
        ...(tls && { tls }),
      });
      app.onShutdown('grpc', () => server.shutdown(app.base.shutdownGraceMs));
      app.readiness.set('grpc server', true);
      return server;
    },
  };
}

const auditFailures = new Counter({
  name: 'access_audit_failures_total',
  help: 'Admin changes that succeeded but whose audit record could not be written to the AUDIT stream.',
  registers: [metricsRegistry],
});

/** Appends each admin change to AUDIT before its caller hears OK, so `dmp audit` shows what was just done. */
function auditWriter(app: App, nc: NatsConnection): (change: AdminChange) => Promise<void> {
  const publisher = new JetStreamPublisher(nc, 5_000);
  app.onShutdown('audit', () => publisher.close());
  return async (change) => {
    const record = auditRecord(change);
    try {
      await publisher.publish(
        auditSubject(record.tenantId),
        new TextEncoder().encode(JSON.stringify(record)),
        randomUUID()
      );
    } catch (error) {
      auditFailures.inc();
      app.log.error('audit record not written', { action: record.action, tenant: record.tenantId, error });
    }
  };
}
