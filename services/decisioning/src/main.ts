import { Counter } from 'prom-client';

import { FeatureCatalog, FeatureReader, SegmentMemberships, ServingLog } from '@dmp/features';
import { loadProtos, startGrpcServer } from '@dmp/grpc';
import { jetstream } from '@nats-io/jetstream';

import {
  connectNats,
  decisionLogStream,
  deliveriesStream,
  ensureConsumerOnOwnedStream,
  ensureStream,
  featureLogStream,
  JetStreamPublisher,
  KvMirror,
  scoreLogStream,
  TenantDirectory,
  triggersConsumer,
} from '@dmp/messaging';
import { closeRedis, connectRedis } from '@dmp/redis';
import { runMain } from '@dmp/runtime';
import { JetStreamShadowSink, LiveModels } from '@dmp/scorer';
import { metricsRegistry, startMetricsServer, stopTracing } from '@dmp/telemetry';

import { campaignHandlers } from './campaign-handlers';
import { campaignSources } from './campaign-sources';
import { CampaignStore } from './campaign-store';
import { CounterStore } from './campaigns/counters';
import { CampaignReports } from './campaigns/reports';
import { loadConfig } from './config';
import { DecisionLog } from './decision-log';
import { CampaignEventConsumer } from './triggers/campaign-event-consumer';
import { decisioningHandlers } from './handlers';
import { candidateSource, liveRanker, parseRankingArtifact, rulesStore } from './recommend/recommend-sources';
import { parseRules, RULES_BUCKET, type RecommendRules } from './recommend/rules';

runMain('decisioning', async (app) => {
  const config = loadConfig(process.env);
  app.onShutdown('telemetry', stopTracing);
  const metrics = await startMetricsServer(app.base.metricsPort);
  app.onShutdown('metrics', metrics.close);

  const redis = connectRedis({
    url: config.redisUrl,
    name: 'decisioning',
    log: app.log,
    readiness: app.readiness,
    commandTimeoutMs: config.redisTimeoutMs,
  });
  app.onShutdown('redis', () => closeRedis(redis));
  const nats = await connectNats({
    url: config.natsUrl,
    name: 'decisioning',
    log: app.log,
    readiness: app.readiness,
    onLost: (error) => app.fatal('NATS connection closed', error),
  });
  app.onShutdown('nats', nats.drain);
  const tenants = await TenantDirectory.start(nats.nc, app.log, app.readiness);
  // Each tenant's business rules, as data; an invalid entry is logged and the previous one stays.
  const rulesMirror = await KvMirror.start<RecommendRules>(nats.nc, RULES_BUCKET, {
    name: 'recommend rules',
    log: app.log,
    readiness: app.readiness,
    parse: parseRules,
  });
  // Which build of each tenant's features to read (a rebuild switches it).
  const catalog = await FeatureCatalog.start(nats.nc, app.log, app.readiness);
  const reader = new FeatureReader(redis, catalog);
  const campaignStore = await CampaignStore.start(nats.nc, app.log, app.readiness);
  // Caps and budgets live on a Redis that never evicts; by default the same one as the features.
  let capsRedis = redis;
  if (config.capsRedisUrl !== config.redisUrl) {
    capsRedis = connectRedis({
      url: config.capsRedisUrl,
      name: 'decisioning-caps',
      log: app.log,
      readiness: app.readiness,
      readinessName: 'caps-redis',
      commandTimeoutMs: config.redisTimeoutMs,
    });
    app.onShutdown('caps redis', () => closeRedis(capsRedis));
  }
  await ensureStream(nats.nc, featureLogStream(config.streamReplicas));
  const logFailures = new Counter({
    name: 'decisioning_feature_log_failures_total',
    help: 'Decisions whose feature vectors, shadow scores or campaign decision could not be logged (FEATURE_LOG, SCORE_LOG, DECISION_LOG).',
    registers: [metricsRegistry],
  });
  let lastWarnMs = 0;
  const servingLog = new ServingLog(new JetStreamPublisher(nats.nc, 5_000), (error) => {
    logFailures.inc();
    // At most one line per 10 s: during a NATS outage every decision fails to log.
    if (Date.now() - lastWarnMs < 10_000) return;
    lastWarnMs = Date.now();
    app.log.warn('logging served features failed', { error: error.message });
  });

  // The ranking model runs in process, following the model registry (hot swap, A/B split, shadows): a gRPC
  // hop to the scoring service would cost more than the inference. NOT_SERVING until it is warm.
  await ensureStream(nats.nc, scoreLogStream(config.streamReplicas));
  const models = await LiveModels.start({
    nc: nats.nc,
    log: app.log,
    readiness: app.readiness,
    metrics: metricsRegistry,
    intraOpNumThreads: config.intraOpThreads,
    required: [config.rankingModel],
    shadowSink: new JetStreamShadowSink(new JetStreamPublisher(nats.nc, 5_000), () => logFailures.inc()),
    // Tenants' trained ranking models come with their item neighbour tables (Recommend's trained candidates).
    artifacts: parseRankingArtifact,
  });
  app.onShutdown('models', () => models.close());

  const campaignReports = new CampaignReports(capsRedis);
  await ensureStream(nats.nc, decisionLogStream(config.streamReplicas));
  const decisionLog = new DecisionLog(new JetStreamPublisher(nats.nc, 5_000), () => logFailures.inc());
  const counterStore = new CounterStore(capsRedis);
  const decideSources = campaignSources({
    campaigns: campaignStore,
    reader,
    memberships: new SegmentMemberships(redis),
    models,
    counters: counterStore,
  });

  // Trigger campaigns: every replica shares one durable consumer on EVENTS and publishes to DELIVERIES. It
  // starts once intake has created EVENTS, without holding up Recommend and Decide meanwhile.
  await ensureStream(nats.nc, deliveriesStream(config.streamReplicas));
  const triggers = new CampaignEventConsumer({
    js: jetstream(nats.nc),
    stream: 'EVENTS',
    campaigns: (tenantId) => campaignStore.forTenant(tenantId),
    sources: decideSources,
    reports: campaignReports,
    decisionLog,
    deliveries: new JetStreamPublisher(nats.nc, 5_000),
    log: app.log,
    maxInFlight: config.triggerConcurrency,
  });
  void ensureConsumerOnOwnedStream(nats.nc, 'EVENTS', triggersConsumer(config.triggerAckWaitSeconds), app.log).then(
    () => triggers.start()
  );
  // Before NATS drains (shutdown runs in reverse order of registration): events in hand are finished and acked.
  app.onShutdown('triggers', () => triggers.stop());

  const server = await startGrpcServer({
    port: app.base.grpcPort,
    services: [
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
    ],
    readiness: app.readiness,
    log: app.log,
  });
  app.onShutdown('grpc', () => server.shutdown(app.base.shutdownGraceMs));
});
