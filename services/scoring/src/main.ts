import { loadProtos, startGrpcServer } from '@dmp/grpc';
import { connectNats, TenantDirectory } from '@dmp/messaging';
import { runMain } from '@dmp/runtime';
import { Model } from '@dmp/scorer';
import { metricsRegistry, startMetricsServer, stopTracing } from '@dmp/telemetry';

import { loadConfig } from './config';
import { scoringHandlers } from './handlers';

runMain('scoring', async (app) => {
  const config = loadConfig(process.env);
  app.onShutdown('telemetry', stopTracing);
  const metrics = await startMetricsServer(app.base.metricsPort);
  app.onShutdown('metrics', metrics.close);

  app.readiness.require('model');
  const model = await Model.load(config.modelPath, {
    intraOpNumThreads: config.intraOpThreads,
    metrics: metricsRegistry,
  });
  app.onShutdown('model', () => model.release());
  app.readiness.set('model', true);
  app.log.info('model loaded', { model: model.version });

  const nats = await connectNats({
    url: config.natsUrl,
    name: 'scoring',
    log: app.log,
    readiness: app.readiness,
    onLost: (error) => app.fatal('NATS connection closed', error),
  });
  app.onShutdown('nats', nats.drain);
  const tenants = await TenantDirectory.start(nats.nc, app.log, app.readiness);

  const server = await startGrpcServer({
    port: app.base.grpcPort,
    services: [
      {
        name: 'dmp.scoring.v1.ScoringService',
        definition: loadProtos().protos.dmp.scoring.v1.ScoringService.service,
        implementation: scoringHandlers({ tenants, model }),
      },
    ],
    readiness: app.readiness,
    log: app.log,
  });
  app.onShutdown('grpc', () => server.shutdown(app.base.shutdownGraceMs));
});
