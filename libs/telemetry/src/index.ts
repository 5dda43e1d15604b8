export { metricsRegistry, startMetricsServer, type MetricsServer } from './metrics';
export { startTracing, stopTracing } from './tracing';
