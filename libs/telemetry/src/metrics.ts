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

/**
 * Serves GET /metrics for Prometheus on `port` (0 picks a free one), and GET /livez and /readyz (200 or 503):
 * the probes kubelet uses when the gRPC port speaks TLS, which its gRPC probe cannot.
 */
export async function startMetricsServer(
  port: number,
  options: { host?: string; ready?: () => boolean } = {}
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = req.url?.split('?')[0];
    if (req.method === 'GET' && path === '/livez') return void res.writeHead(200).end('ok\n');
    if (req.method === 'GET' && path === '/readyz') {
      const ready = options.ready?.() ?? true;
      return void res.writeHead(ready ? 200 : 503).end(ready ? 'ready\n' : 'not ready\n');
    }
    if (req.method !== 'GET' || path !== '/metrics') {
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
    server.listen(port, options.host ?? '0.0.0.0', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
