import { jetstream } from '@nats-io/jetstream';

import { apiClients } from '@dmp/grpc';
import {
  deadDeliveriesStream,
  deliveriesStream,
  deliveryConsumer,
  DELIVERY_DURABLE,
  ensureConsumer,
  ensureStream,
  JetStreamPublisher,
  StreamWorker,
} from '@dmp/messaging';
import { runMain } from '@dmp/runtime';
import { startService } from '@dmp/startup';

import { loadConfig } from './config';
import { handleDelivery } from './delivery-worker';
import { DeliveryLedger } from './ledger';
import { StatusEvents } from './status-events';
import { WebhookChannel } from './webhook';

runMain('delivery', async (app) => {
  const config = loadConfig(process.env);
  const { nc, redis, tls, serve } = await startService(app, {
    name: 'delivery',
    natsUrl: config.natsUrl,
    redis: { url: config.redisUrl },
  });
  const intake = apiClients.intake(config.intakeAddress, {
    defaultDeadlineMs: 5_000,
    apiKey: config.apiKey,
    ...(tls && { tls }),
  });
  app.onShutdown('intake client', () => intake.close());

  // Decisioning publishes to DELIVERIES; whichever starts first creates it (same settings in both).
  await ensureStream(nc, deliveriesStream(config.streamReplicas));
  await ensureStream(nc, deadDeliveriesStream(config.streamReplicas));
  await ensureConsumer(nc, 'DELIVERIES', deliveryConsumer(config.ackWaitSeconds));
  if (config.webhookUrls.size === 0) app.log.warn('WEBHOOK_URLS is empty: every offer will be dead-lettered');

  const deps = {
    channel: new WebhookChannel(config.webhookUrls, config.webhookSecret, config.webhookTimeoutMs),
    ledger: new DeliveryLedger(redis),
    status: new StatusEvents(intake),
    deadLetters: new JetStreamPublisher(nc, 5_000),
    maxAttempts: config.maxAttempts,
    retryBaseMs: config.retryBaseMs,
    retryMaxMs: config.retryMaxMs,
    log: app.log,
  };
  const worker = new StreamWorker(
    await jetstream(nc).consumers.get('DELIVERIES', DELIVERY_DURABLE),
    { maxInFlight: config.concurrency, log: app.log, what: 'delivery' },
    (message) => handleDelivery(message, deps)
  );
  worker.start();
  // Offers in hand are finished (sent and acked, or left for redelivery) before NATS drains.
  app.onShutdown('deliveries', () => worker.stop());

  // No API of its own: gRPC health (and reflection) for the probes.
  await serve([]);
});
