import { Counter } from 'prom-client';

import { loadProtos } from '@dmp/grpc';
import { ensureStream, JetStreamPublisher, scoreLogStream } from '@dmp/messaging';
import { runMain } from '@dmp/runtime';
import { JetStreamShadowSink, LiveModels } from '@dmp/scorer';
import { startService } from '@dmp/startup';
import { metricsRegistry } from '@dmp/telemetry';

import { loadConfig } from './config';
import { scoringHandlers } from './handlers';

runMain('scoring', async (app) => {
  const config = loadConfig(process.env);
  const { nc, tenants, serve } = await startService(app, { name: 'scoring', natsUrl: config.natsUrl });
  await ensureStream(nc, scoreLogStream(config.streamReplicas));
  const shadowFailures = new Counter({
    name: 'scoring_shadow_log_failures_total',
    help: 'Shadow scores that could not be written to the SCORE_LOG stream.',
    registers: [metricsRegistry],
  });
  // Readiness stays NOT_SERVING until the required models (or, without a list, one model) are warm.
  const models = await LiveModels.start({
    nc,
    log: app.log,
    readiness: app.readiness,
    metrics: metricsRegistry,
    intraOpNumThreads: config.intraOpThreads,
    required: config.requiredModels,
    shadowSink: new JetStreamShadowSink(new JetStreamPublisher(nc, 5_000), () => shadowFailures.inc()),
  });
  app.onShutdown('models', () => models.close());

  await serve([
    {
      name: 'dmp.scoring.v1.ScoringService',
      definition: loadProtos().protos.dmp.scoring.v1.ScoringService.service,
      implementation: scoringHandlers({ tenants, models }),
    },
  ]);
});
