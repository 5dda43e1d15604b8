import {
  FeatureCatalog,
  FeatureReader,
  FeatureWriter,
  IdentityGraph,
  SegmentMemberships,
  writeSimilarItems,
} from '@dmp/features';
import { loadProtos } from '@dmp/grpc';
import {
  encodeErasureRecord,
  ensureStream,
  erasureSubject,
  erasuresStream,
  JetStreamPublisher,
  purgeMessages,
  segmentChangesStream,
  eventsStream,
  waitForStream,
} from '@dmp/messaging';
import { runMain } from '@dmp/runtime';
import { startService } from '@dmp/startup';

import { accessHandlers } from './access-handlers';
import { loadConfig } from './config';
import { EventConsumer } from './event-consumer';
import { withDirectGetFeaturesEncoding } from './features-reply';
import { featureStoreHandlers } from './handlers';
import { SegmentEvaluator } from './segment-evaluator';
import { SegmentRefresh } from './segment-refresh';
import { SegmentStore } from './segment-store';
import { moveLegacyLayout } from './legacy-layout';
import { eraseProfile } from './profile-erasure';
import { profileHandlers } from './profile-handlers';
import { rebuildFeatures } from './rebuild';

runMain('feature-store', async (app) => {
  const config = loadConfig(process.env);
  const { nc, tenants, keys, redis, serve, replicas } = await startService(app, {
    name: 'feature-store',
    natsUrl: config.natsUrl,
    redis: { url: config.redisUrl },
  });
  const catalog = await FeatureCatalog.start(nc, app.log, app.readiness);

  const stream = eventsStream(1).name;
  await waitForStream(nc, stream, app.log); // event-intake's
  const writer = new FeatureWriter(redis);
  const identity = new IdentityGraph(redis);
  // Segments: memberships re-evaluated after each applied event, changes to SEGMENT_CHANGES.
  const segments = await SegmentStore.start(nc, app.log, app.readiness);
  const memberships = new SegmentMemberships(redis);
  const reader = new FeatureReader(redis, catalog);
  await ensureStream(nc, segmentChangesStream(config.streamReplicas));
  await ensureStream(nc, erasuresStream(config.streamReplicas));
  const evaluator = new SegmentEvaluator({
    segments: (tenantId) => segments.forTenant(tenantId),
    reader,
    memberships,
    changes: new JetStreamPublisher(nc, 5_000),
  });
  const audit = new JetStreamPublisher(nc, 5_000);
  const erase = (tenantId: string, identifier: string, reason: string) =>
    eraseProfile(
      {
        redis,
        identity,
        memberships,
        catalog,
        purge: (stream, filter) => purgeMessages(nc, stream, filter),
        audit: async (report) => {
          await audit.publish(erasureSubject(report.tenantId), encodeErasureRecord(report), report.erasureId);
        },
      },
      tenantId,
      identifier,
      reason
    );
  const consumer = new EventConsumer(nc, redis, writer, identity, catalog, app.log, app.readiness, {
    stream,
    replicas,
    batch: config.batch,
    ackWaitSeconds: config.ackWaitSeconds,
    partitionLeaseMs: config.partitionLeaseMs,
    afterApply: (event, mergedAway) => evaluator.evaluate(event, mergedAway),
  });
  app.onShutdown('consumer', () => consumer.stop());
  if (config.segmentRefreshSeconds > 0) {
    const refresh = await SegmentRefresh.start(nc, {
      periodMs: config.segmentRefreshSeconds * 1000,
      tenants: () => segments.tenants(),
      refresh: (tenantId, tag) => evaluator.backfill(tenantId, redis, catalog.activeBuild(tenantId), tag),
      log: app.log,
    });
    app.onShutdown('segment refresh', () => refresh.stop());
  }
  // Before consuming anything: features in the layout of before issue 20 move to the one keys.ts describes.
  await moveLegacyLayout(redis, app.log);
  await consumer.start();

  await serve([
    {
      name: 'dmp.features.v1.FeatureStoreService',
      definition: withDirectGetFeaturesEncoding(loadProtos().protos.dmp.features.v1.FeatureStoreService.service),
      implementation: featureStoreHandlers({
        tenants,
        reader,
        catalog,
        rebuild: (tenantId, sinceMs) =>
          rebuildFeatures(
            { nc, redis, writer, catalog, partitions: () => consumer.partitions, log: app.log },
            tenantId,
            sinceMs
          ),
        putSimilarItems: (tenantId, rows) => writeSimilarItems(redis, tenantId, rows),
        segments,
        memberships,
        identity,
        // On this replica, in the background: live events keep flowing meanwhile.
        backfill: (tenantId, segment) => {
          const tag = `backfill-${segment.id}-v${segment.version}`;
          void evaluator
            .backfill(tenantId, redis, catalog.activeBuild(tenantId), tag, segment.id)
            .then((profiles) => app.log.info('segment backfilled', { tenant: tenantId, segment: segment.id, profiles }))
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
    {
      name: 'dmp.access.v1.AccessService',
      definition: loadProtos().protos.dmp.access.v1.AccessService.service,
      implementation: accessHandlers({ nc, tenants, keys }),
    },
  ]);
});
