import { jetstream } from '@nats-io/jetstream';

import { apiClients, startGrpcServer } from '@dmp/grpc';
import {
  connectNats,
  deadDeliveriesStream,
  deliveriesStream,
  deliveryConsumer,
  DELIVERY_DURABLE,
  ensureConsumer,
  ensureStream,
  JetStreamPublisher,
  StreamWorker,
} from '@dmp/messaging';
import { closeRedis, connectRedis } from '@dmp/redis';
import { runMain } from '@dmp/runtime';
import { startMetricsServer, stopTracing } from '@dmp/telemetry';

import { loadConfig } from './config';
import { handleDelivery } from './delivery-worker';
import { DeliveryLedger } from './ledger';
import { StatusEvents } from './status-events';
import { WebhookChannel } from './webhook';

runMain('delivery', async (app) => {
  const config = loadConfig(process.env);
  app.onShutdown('telemetry', stopTracing);
  const metrics = await startMetricsServer(app.base.metricsPort);
  app.onShutdown('metrics', metrics.close);

  const redis = connectRedis({ url: config.redisUrl, name: 'delivery', log: app.log, readiness: app.readiness });
  app.onShutdown('redis', () => closeRedis(redis));
  const nats = await connectNats({
    url: config.natsUrl,
    name: 'delivery',
    log: app.log,
    readiness: app.readiness,
    onLost: (error) => app.fatal('NATS connection closed', error),
  });
  app.onShutdown('nats', nats.drain);
  const intake = apiClients.intake(config.intakeAddress, { defaultDeadlineMs: 5_000 });
  app.onShutdown('intake client', () => intake.close());

  // Decisioning publishes to DELIVERIES; whichever starts first creates it (same settings in both).
  await ensureStream(nats.nc, deliveriesStream(config.streamReplicas));
  await ensureStream(nats.nc, deadDeliveriesStream(config.streamReplicas));
  await ensureConsumer(nats.nc, 'DELIVERIES', deliveryConsumer(config.ackWaitSeconds));
  if (config.webhookUrls.size === 0) app.log.warn('WEBHOOK_URLS is empty: every offer will be dead-lettered');

  const deps = {
    channel: new WebhookChannel(config.webhookUrls, config.webhookSecret, config.webhookTimeoutMs),
    ledger: new DeliveryLedger(redis),
    status: new StatusEvents(intake),
    deadLetters: new JetStreamPublisher(nats.nc, 5_000),
    maxAttempts: config.maxAttempts,
    retryBaseMs: config.retryBaseMs,
    retryMaxMs: config.retryMaxMs,
    log: app.log,
  };
  const worker = new StreamWorker(
    await jetstream(nats.nc).consumers.get('DELIVERIES', DELIVERY_DURABLE),
    { maxInFlight: config.concurrency, log: app.log, what: 'delivery' },
    (message) => handleDelivery(message, deps)
  );
  worker.start();
  // Offers in hand are finished (sent and acked, or left for redelivery) before NATS drains.
  app.onShutdown('deliveries', () => worker.stop());

  // No API of its own: gRPC health (and reflection) for the probes.
  const server = await startGrpcServer({
    port: app.base.grpcPort,
    services: [],
    readiness: app.readiness,
    log: app.log,
  });
  app.onShutdown('grpc', () => server.shutdown(app.base.shutdownGraceMs));
});
