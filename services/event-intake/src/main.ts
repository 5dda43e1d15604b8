import { loadProtos, startGrpcServer } from '@dmp/grpc';
import {
  connectNats,
  ensureStream,
  eventsStream,
  failedEventsStream,
  JetStreamPublisher,
  TenantDirectory,
} from '@dmp/messaging';
import { runMain } from '@dmp/runtime';
import { startMetricsServer, stopTracing } from '@dmp/telemetry';

import { loadConfig } from './config';
import { EventTypeRegistry } from './event-type-registry';
import { intakeHandlers } from './handlers';
import { startHttpDoor } from './http-door';
import { IdentityHasher } from './identities';
import { Intake } from './intake';
import { RateLimiter } from './rate-limiter';
import { StreamAppender } from './stream-appender';
import { MAX_BATCH } from './validation';

runMain('event-intake', async (app) => {
  const config = loadConfig(process.env);
  app.onShutdown('telemetry', stopTracing);
  const metrics = await startMetricsServer(app.base.metricsPort);
  app.onShutdown('metrics', metrics.close);

  const nats = await connectNats({
    url: config.natsUrl,
    name: 'event-intake',
    log: app.log,
    readiness: app.readiness,
    onLost: (error) => app.fatal('NATS connection closed', error),
  });
  app.onShutdown('nats', nats.drain);
  await ensureStream(nats.nc, eventsStream(config.streamReplicas));
  await ensureStream(nats.nc, failedEventsStream(config.streamReplicas));
  const tenants = await TenantDirectory.start(nats.nc, app.log, app.readiness);
  const eventTypes = await EventTypeRegistry.start(nats.nc, app.log, app.readiness);

  const publisher = new JetStreamPublisher(nats.nc, config.publishTimeoutMs);
  app.onShutdown('publisher', () => publisher.close());
  const intake = new Intake({
    tenants,
    eventTypes,
    hasher: new IdentityHasher(config.hmacKeys[0]!),
    appender: new StreamAppender(publisher, app.log, () => app.readiness.isUp('nats')),
    limiter: new RateLimiter(MAX_BATCH),
    defaultEventsPerSecond: config.tenantEventsPerSecond,
    maxInFlight: config.maxInFlightEvents,
    ...(config.defaultPhoneRegion && { defaultRegion: config.defaultPhoneRegion }),
  });

  const http = await startHttpDoor({
    port: config.httpPort,
    corsOrigins: config.corsOrigins,
    intake,
    readiness: app.readiness,
    log: app.log,
  });
  app.onShutdown('http', http.close);

  const server = await startGrpcServer({
    port: app.base.grpcPort,
    services: [
      {
        name: 'dmp.intake.v1.IntakeService',
        definition: loadProtos().protos.dmp.intake.v1.IntakeService.service,
        implementation: intakeHandlers({ intake, tenants, eventTypes }),
      },
    ],
    readiness: app.readiness,
    log: app.log,
  });
  app.onShutdown('grpc', () => server.shutdown(app.base.shutdownGraceMs));
});
