import { basename } from 'node:path';

import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

import { JsonLineSpanExporter } from './json-span-exporter';

let sdk: NodeSDK | undefined;

/**
 * Where spans go: OTEL_TRACES_EXPORTER=console writes them as JSON lines on stdout; otherwise they are
 * exported over OTLP/gRPC when OTEL_EXPORTER_OTLP_ENDPOINT (or the traces-specific variable) is set, and
 * dropped when not (they still exist, so log lines carry trace ids).
 */
function spanProcessor(env: NodeJS.ProcessEnv): SpanProcessor {
  if (env['OTEL_TRACES_EXPORTER'] === 'console') return new SimpleSpanProcessor(new JsonLineSpanExporter());
  if (env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) {
    return new BatchSpanProcessor(new OTLPTraceExporter());
  }
  return new NoopSpanProcessor();
}

/**
 * Starts OpenTelemetry tracing before any application code loads (see register.ts). Metrics stay with
 * prom-client (one signal, one exporter), so the SDK gets no metric readers.
 */
export function startTracing(): void {
  if (sdk || process.env['OTEL_SDK_DISABLED'] === 'true') return;
  sdk = new NodeSDK({
    // Services run from their package folder, so the folder name is the service name unless set.
    serviceName: process.env['OTEL_SERVICE_NAME'] || basename(process.cwd()),
    spanProcessors: [spanProcessor(process.env)],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
}

/** Flushes and stops tracing; the last step of graceful shutdown. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
