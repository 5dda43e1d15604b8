import { jetstream } from '@nats-io/jetstream';

import { loadProtos, startGrpcServer } from '@dmp/grpc';
import { connectNats, ensureStream, eventsStream, TenantDirectory } from '@dmp/messaging';
import { runMain } from '@dmp/runtime';
import { startMetricsServer, stopTracing } from '@dmp/telemetry';

import { loadConfig } from './config';
import { EventLog } from './event-log';
import { intakeHandlers } from './handlers';

runMain('event-intake', async (app) => {
  const config = loadConfig(process.env);
  app.onShutdown('telemetry', stopTracing);
  const metrics = await startMetricsServer(app.base.metricsPort);
  app.onShutdown('metrics', metrics.close);

  const nats = await connectNats({
    url: config.natsUrl,
    name: 'event-intake',
    log: app.log,
    readiness: app.readiness,
    onLost: (error) => app.fatal('NATS connection closed', error),
  });
  app.onShutdown('nats', nats.drain);
  await ensureStream(nats.nc, eventsStream(config.streamReplicas));
  const tenants = await TenantDirectory.start(nats.nc, app.log, app.readiness);
  const eventLog = new EventLog(jetstream(nats.nc), config.publishTimeoutMs, app.log, () => app.readiness.isUp('nats'));

  const server = await startGrpcServer({
    port: app.base.grpcPort,
    services: [
      {
        name: 'dmp.intake.v1.IntakeService',
        definition: loadProtos().protos.dmp.intake.v1.IntakeService.service,
        implementation: intakeHandlers({ tenants, eventLog }),
      },
    ],
    readiness: app.readiness,
    log: app.log,
  });
  app.onShutdown('grpc', () => server.shutdown(app.base.shutdownGraceMs));
});
