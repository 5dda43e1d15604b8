import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The process's one Prometheus registry. Metric names follow `<service or area>_<thing>_<unit>` with base
 * units (seconds, bytes); every module registers its metrics here so /metrics shows them all.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export interface MetricsServer {
  port: number;
  close: () => Promise<void>;
}

/** Serves GET /metrics for Prometheus on `port` (0 picks a free one). */
export async function startMetricsServer(port: number, host = '0.0.0.0'): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metricsRegistry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(body),
      () => res.writeHead(500).end()
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
