import { basename } from 'node:path';

import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry tracing before any application code loads (see register.ts). Spans are always
 * created, so every log line carries a trace id; they are exported over OTLP/gRPC only when
 * OTEL_EXPORTER_OTLP_ENDPOINT (or the traces-specific variable) is set. Metrics stay with prom-client
 * (one signal, one exporter), so the SDK gets no metric readers.
 */
export function startTracing(): void {
  if (sdk || process.env['OTEL_SDK_DISABLED'] === 'true') return;
  const exporting =
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] !== undefined ||
    process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] !== undefined;
  sdk = new NodeSDK({
    // Services run from their package folder, so the folder name is the service name unless set.
    serviceName: process.env['OTEL_SERVICE_NAME'] ?? basename(process.cwd()),
    spanProcessors: [exporting ? new BatchSpanProcessor(new OTLPTraceExporter()) : new NoopSpanProcessor()],
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
