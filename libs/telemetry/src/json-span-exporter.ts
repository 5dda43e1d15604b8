import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

// ExportResultCode.SUCCESS from @opentelemetry/core, which we do not otherwise depend on.
const SUCCESS = 0;

/**
 * Writes each finished span as one JSON line on stdout, next to the logs (OTEL_TRACES_EXPORTER=console):
 * traces without a collector, for local runs and tests.
 */
export class JsonLineSpanExporter implements SpanExporter {
  export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    for (const span of spans) {
      const context = span.spanContext();
      const [seconds, nanos] = span.duration;
      process.stdout.write(
        JSON.stringify({
          time: new Date().toISOString(),
          level: 'trace',
          msg: 'span',
          name: span.name,
          kind: SpanKind[span.kind],
          trace_id: context.traceId,
          span_id: context.spanId,
          parent_span_id: span.parentSpanContext?.spanId,
          duration_ms: seconds * 1e3 + nanos / 1e6,
          status: span.status.code,
          attributes: span.attributes,
        }) + '\n'
      );
    }
    done({ code: SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
