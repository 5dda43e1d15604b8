import { jetstream } from '@nats-io/jetstream';

import {
  FeatureCatalog,
  FeatureReader,
  FeatureWriter,
  IdentityGraph,
  SegmentMemberships,
  writeSimilarItems,
} from '@dmp/features';
import { loadProtos, startGrpcServer } from '@dmp/grpc';
import {
  connectNats,
  ensureConsumerOnOwnedStream,
  ensureStream,
  erasuresStream,
  JetStreamPublisher,
  purgeMessages,
  segmentChangesStream,
  eventsStream,
  featureStoreConsumer,
  TenantDirectory,
} from '@dmp/messaging';
import { closeRedis, connectRedis } from '@dmp/redis';
import { runMain } from '@dmp/runtime';
import { startMetricsServer, stopTracing } from '@dmp/telemetry';

import { loadConfig } from './config';
import { EventConsumer } from './event-consumer';
import { withDirectGetFeaturesEncoding } from './features-reply';
import { featureStoreHandlers } from './handlers';
import { SegmentEvaluator } from './segment-evaluator';
import { SegmentRefresh } from './segment-refresh';
import { SegmentStore } from './segment-store';
import { eraseProfile } from './profile-erasure';
import { profileHandlers } from './profile-handlers';
import { rebuildFeatures } from './rebuild';

runMain('feature-store', async (app) => {
  const config = loadConfig(process.env);
  app.onShutdown('telemetry', stopTracing);
  const metrics = await startMetricsServer(app.base.metricsPort);
  app.onShutdown('metrics', metrics.close);

  const redis = connectRedis({ url: config.redisUrl, name: 'feature-store', log: app.log, readiness: app.readiness });
  app.onShutdown('redis', () => closeRedis(redis));
  const capsRedis =
    config.capsRedisUrl === config.redisUrl
      ? redis
      : connectRedis({ url: config.capsRedisUrl, name: 'feature-store-caps', log: app.log, readiness: app.readiness });
  if (capsRedis !== redis) app.onShutdown('caps redis', () => closeRedis(capsRedis));
  const nats = await connectNats({
    url: config.natsUrl,
    name: 'feature-store',
    log: app.log,
    readiness: app.readiness,
    onLost: (error) => app.fatal('NATS connection closed', error),
  });
  app.onShutdown('nats', nats.drain);
  const tenants = await TenantDirectory.start(nats.nc, app.log, app.readiness);
  const catalog = await FeatureCatalog.start(nats.nc, app.log, app.readiness);

  const stream = eventsStream(1).name;
  await ensureConsumerOnOwnedStream(nats.nc, stream, featureStoreConsumer(config.ackWaitSeconds), app.log);
  const writer = new FeatureWriter(redis, { dedupeTtlSeconds: config.dedupeTtlSeconds });
  const identity = new IdentityGraph(redis);
  const js = jetstream(nats.nc);
  // Segments: memberships re-evaluated after each applied event, changes to SEGMENT_CHANGES.
  const segments = await SegmentStore.start(nats.nc, app.log, app.readiness);
  const memberships = new SegmentMemberships(redis);
  const reader = new FeatureReader(redis, catalog);
  await ensureStream(nats.nc, segmentChangesStream(config.streamReplicas));
  await ensureStream(nats.nc, erasuresStream(config.streamReplicas));
  const evaluator = new SegmentEvaluator({
    segments: (tenantId) => segments.forTenant(tenantId),
    reader,
    memberships,
    changes: new JetStreamPublisher(nats.nc, 5_000),
  });
  const audit = new JetStreamPublisher(nats.nc, 5_000);
  const erase = (tenantId: string, identifier: string, reason: string) =>
    eraseProfile(
      {
        redis,
        capsRedis,
        identity,
        catalog,
        purge: (stream, filter) => purgeMessages(nats.nc, stream, filter),
        audit: async (report) => {
          const record = new TextEncoder().encode(JSON.stringify(report));
          await audit.publish(`erasures.v1.${report.tenantId}`, record, report.erasureId);
        },
      },
      tenantId,
      identifier,
      reason
    );
  const consumer = new EventConsumer(js, writer, identity, catalog, app.log, app.readiness, {
    stream,
    maxInFlight: config.maxInFlight,
    afterApply: (event, mergedAway) => evaluator.evaluate(event, mergedAway),
  });
  app.onShutdown('consumer', () => consumer.stop());
  if (config.segmentRefreshSeconds > 0) {
    const refresh = await SegmentRefresh.start(nats.nc, {
      periodMs: config.segmentRefreshSeconds * 1000,
      tenants: () => segments.tenants(),
      refresh: (tenantId, tag) => evaluator.backfill(tenantId, redis, catalog.activeBuild(tenantId), tag),
      log: app.log,
    });
    app.onShutdown('segment refresh', () => refresh.stop());
  }
  await consumer.start();

  const server = await startGrpcServer({
    port: app.base.grpcPort,
    services: [
      {
        name: 'dmp.features.v1.FeatureStoreService',
        definition: withDirectGetFeaturesEncoding(loadProtos().protos.dmp.features.v1.FeatureStoreService.service),
        implementation: featureStoreHandlers({
          tenants,
          reader,
          catalog,
          rebuild: (tenantId, sinceMs) =>
            rebuildFeatures({ nc: nats.nc, js, writer, identity, catalog, log: app.log }, tenantId, sinceMs),
          putSimilarItems: (tenantId, rows) => writeSimilarItems(redis, tenantId, rows),
          segments,
          memberships,
          identity,
          // On this replica, in the background: live events keep flowing meanwhile.
          backfill: (tenantId, segment) => {
            const tag = `backfill-${segment.id}-v${segment.version}`;
            void evaluator
              .backfill(tenantId, redis, catalog.activeBuild(tenantId), tag)
              .then((profiles) =>
                app.log.info('segment backfilled', { tenant: tenantId, segment: segment.id, profiles })
              )
              .catch((error: unknown) =>
                app.log.error('segment backfill failed', { tenant: tenantId, segment: segment.id, error })
              );
          },
        }),
      },
      {
        name: 'dmp.features.v1.ProfileService',
        definition: loadProtos().protos.dmp.features.v1.ProfileService.service,
        implementation: profileHandlers({ tenants, redis, identity, reader, catalog, memberships, erase }),
      },
    ],
    readiness: app.readiness,
    log: app.log,
  });
  app.onShutdown('grpc', () => server.shutdown(app.base.shutdownGraceMs));
});
