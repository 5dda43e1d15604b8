import { Counter } from 'prom-client';

import { FeatureCatalog, FeatureReader, SegmentMemberships, ServingLog } from '@dmp/features';
import { loadProtos } from '@dmp/grpc';
import {
  decisionLogStream,
  deliveriesStream,
  ensureStream,
  featureLogStream,
  JetStreamPublisher,
  KvMirror,
  scoreLogStream,
  waitForStream,
} from '@dmp/messaging';
import { runMain } from '@dmp/runtime';
import { JetStreamShadowSink, LiveModels } from '@dmp/scorer';
import { startService } from '@dmp/startup';
import { metricsRegistry } from '@dmp/telemetry';

import { campaignHandlers } from './campaign-handlers';
import { campaignSources } from './campaign-sources';
import { CampaignStore } from './campaign-store';
import { CounterStore } from './campaigns/counters';
import { moveLegacyLayout } from './campaigns/legacy-layout';
import { CampaignReports } from './campaigns/reports';
import { loadConfig } from './config';
import { DecisionLog } from './decision-log';
import { ErasureConsumer } from './erasures';
import { CampaignEventConsumer } from './triggers/campaign-event-consumer';
import { decisioningHandlers } from './handlers';
import { candidateSource, liveRanker, parseRankingArtifact, rulesStore } from './recommend/recommend-sources';
import { parseRules, RULES_BUCKET, type RecommendRules } from './recommend/rules';

runMain('decisioning', async (app) => {
  const config = loadConfig(process.env);
  const { nc, tenants, redis, capsRedis, serve, replicas } = await startService(app, {
    name: 'decisioning',
    natsUrl: config.natsUrl,
    redis: { url: config.redisUrl, capsUrl: config.capsRedisUrl, commandTimeoutMs: config.redisTimeoutMs },
  });
  // Each tenant's business rules, as data; an invalid entry is logged and the previous one stays.
  const rulesMirror = await KvMirror.start<RecommendRules>(nc, RULES_BUCKET, {
    name: 'recommend rules',
    log: app.log,
    readiness: app.readiness,
    parse: parseRules,
  });
  // Which build of each tenant's features to read (a rebuild switches it).
  const catalog = await FeatureCatalog.start(nc, app.log, app.readiness);
  const reader = new FeatureReader(redis, catalog);
  const campaignStore = await CampaignStore.start(nc, app.log, app.readiness);
  await ensureStream(nc, featureLogStream(config.streamReplicas));
  const logFailures = new Counter({
    name: 'decisioning_feature_log_failures_total',
    help: 'Decisions whose feature vectors, shadow scores or campaign decision could not be logged (FEATURE_LOG, SCORE_LOG, DECISION_LOG).',
    registers: [metricsRegistry],
  });
  let lastWarnMs = 0;
  const servingLog = new ServingLog(new JetStreamPublisher(nc, 5_000), (error) => {
    logFailures.inc();
    // At most one line per 10 s: during a NATS outage every decision fails to log.
    if (Date.now() - lastWarnMs < 10_000) return;
    lastWarnMs = Date.now();
    app.log.warn('logging served features failed', { error: error.message });
  });

  // The ranking model runs in process, following the model registry (hot swap, A/B split, shadows): a gRPC
  // hop to the scoring service would cost more than the inference. NOT_SERVING until it is warm.
  await ensureStream(nc, scoreLogStream(config.streamReplicas));
  const models = await LiveModels.start({
    nc: nc,
    log: app.log,
    readiness: app.readiness,
    metrics: metricsRegistry,
    intraOpNumThreads: config.intraOpThreads,
    required: [config.rankingModel],
    shadowSink: new JetStreamShadowSink(new JetStreamPublisher(nc, 5_000), () => logFailures.inc()),
    // Tenants' trained ranking models come with their item neighbour tables (Recommend's trained candidates).
    artifacts: parseRankingArtifact,
  });
  app.onShutdown('models', () => models.close());

  const campaignReports = new CampaignReports(capsRedis);
  await ensureStream(nc, decisionLogStream(config.streamReplicas));
  const decisionLog = new DecisionLog(new JetStreamPublisher(nc, 5_000), () => logFailures.inc());
  const counterStore = new CounterStore(capsRedis);
  // An upgrade from the layout under the tenant's tag moves the keys, in the background (deciding goes on).
  void moveLegacyLayout(capsRedis, app.log).catch((error: unknown) =>
    app.log.warn('moving the caps Redis to its new layout failed; the next start goes on', { error })
  );
  const decideSources = campaignSources({
    campaigns: campaignStore,
    reader,
    memberships: new SegmentMemberships(redis),
    models,
    counters: counterStore,
  });

  // Trigger campaigns: the replicas share EVENTS's partitions and publish to DELIVERIES. The consumer starts once
  // intake has created EVENTS, without holding up Recommend and Decide meanwhile.
  await ensureStream(nc, deliveriesStream(config.streamReplicas));
  const triggers = new CampaignEventConsumer({
    nc,
    stream: 'EVENTS',
    campaigns: (tenantId) => campaignStore.forTenant(tenantId),
    sources: decideSources,
    reports: campaignReports,
    decisionLog,
    deliveries: new JetStreamPublisher(nc, 5_000),
    log: app.log,
    replicas,
    batch: config.triggerBatch,
    ackWaitSeconds: config.triggerAckWaitSeconds,
    leaseMs: config.partitionLeaseMs,
  });
  void waitForStream(nc, 'EVENTS', app.log)
    .then(() => triggers.start())
    .catch((error: unknown) => app.fatal('the trigger consumer could not start', error));
  // Before NATS drains (shutdown runs in reverse order of registration): events in hand are finished and acked.
  app.onShutdown('triggers', () => triggers.stop());

  // Profiles the feature store erases: decisioning erases its own state about them (ERASURES is the feature store's).
  const erasures = new ErasureConsumer({
    nc,
    capsRedis,
    log: app.log,
    ackWaitSeconds: config.triggerAckWaitSeconds,
  });
  void waitForStream(nc, 'ERASURES', app.log)
    .then(() => erasures.start())
    .catch((error: unknown) => app.fatal('the erasure consumer could not start', error));
  app.onShutdown('erasures', () => erasures.stop());

  await serve([
    {
      name: 'dmp.decisioning.v1.DecisioningService',
      definition: loadProtos().protos.dmp.decisioning.v1.DecisioningService.service,
      implementation: decisioningHandlers({
        tenants,
        profiles: reader,
        deadlineMs: config.recommendDeadlineMs,
        content: reader,
        campaigns: decideSources,
        decisionLog,
        rules: rulesStore(rulesMirror),
        source: candidateSource(reader, config.itemCacheTtlMs),
        ranker: liveRanker(models, config.rankingModel),
        logServed: (served) => servingLog.log(served),
        log: app.log,
      }),
    },
    {
      name: 'dmp.decisioning.v1.CampaignService',
      definition: loadProtos().protos.dmp.decisioning.v1.CampaignService.service,
      implementation: campaignHandlers({
        tenants,
        store: campaignStore,
        reports: campaignReports,
        counters: counterStore,
        sources: decideSources,
      }),
    },
  ]);
});
