import { Counter } from 'prom-client';

import { loadProtos, startGrpcServer } from '@dmp/grpc';
import { connectNats, ensureStream, JetStreamPublisher, scoreLogStream, TenantDirectory } from '@dmp/messaging';
import { runMain } from '@dmp/runtime';
import { JetStreamShadowSink, LiveModels } from '@dmp/scorer';
import { metricsRegistry, startMetricsServer, stopTracing } from '@dmp/telemetry';

import { loadConfig } from './config';
import { scoringHandlers } from './handlers';

runMain('scoring', async (app) => {
  const config = loadConfig(process.env);
  app.onShutdown('telemetry', stopTracing);
  const metrics = await startMetricsServer(app.base.metricsPort);
  app.onShutdown('metrics', metrics.close);

  const nats = await connectNats({
    url: config.natsUrl,
    name: 'scoring',
    log: app.log,
    readiness: app.readiness,
    onLost: (error) => app.fatal('NATS connection closed', error),
  });
  app.onShutdown('nats', nats.drain);
  const tenants = await TenantDirectory.start(nats.nc, app.log, app.readiness);

  await ensureStream(nats.nc, scoreLogStream(config.streamReplicas));
  const shadowFailures = new Counter({
    name: 'scoring_shadow_log_failures_total',
    help: 'Shadow scores that could not be written to the SCORE_LOG stream.',
    registers: [metricsRegistry],
  });
  // Readiness stays NOT_SERVING until the required models (or, without a list, one model) are warm.
  const models = await LiveModels.start({
    nc: nats.nc,
    log: app.log,
    readiness: app.readiness,
    metrics: metricsRegistry,
    intraOpNumThreads: config.intraOpThreads,
    required: config.requiredModels,
    shadowSink: new JetStreamShadowSink(new JetStreamPublisher(nats.nc, 5_000), () => shadowFailures.inc()),
  });
  app.onShutdown('models', () => models.close());

  const server = await startGrpcServer({
    port: app.base.grpcPort,
    services: [
      {
        name: 'dmp.scoring.v1.ScoringService',
        definition: loadProtos().protos.dmp.scoring.v1.ScoringService.service,
        implementation: scoringHandlers({ tenants, models }),
      },
    ],
    readiness: app.readiness,
    log: app.log,
  });
  app.onShutdown('grpc', () => server.shutdown(app.base.shutdownGraceMs));
});
