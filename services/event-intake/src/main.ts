import { loadProtos } from '@dmp/grpc';
import { ensureStream, eventsStream, failedEventsStream, JetStreamPublisher } from '@dmp/messaging';
import { runMain } from '@dmp/runtime';
import { startService } from '@dmp/startup';

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
  const { nc, tenants, keys, gate, quotas, serve } = await startService(app, {
    name: 'event-intake',
    natsUrl: config.natsUrl,
  });
  await ensureStream(nc, eventsStream(config.streamReplicas, config.eventPartitions));
  await ensureStream(nc, failedEventsStream(config.streamReplicas));
  const eventTypes = await EventTypeRegistry.start(nc, app.log, app.readiness);

  const publisher = new JetStreamPublisher(nc, config.publishTimeoutMs);
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
    gate,
    browserOrigins: () => keys.browserOrigins(),
    keyLimiter: new RateLimiter(MAX_BATCH),
    quotas,
    intake,
    readiness: app.readiness,
    log: app.log,
  });
  app.onShutdown('http', http.close);

  await serve([
    {
      name: 'dmp.intake.v1.IntakeService',
      definition: loadProtos().protos.dmp.intake.v1.IntakeService.service,
      implementation: intakeHandlers({ intake, tenants, eventTypes }),
    },
  ]);
});
