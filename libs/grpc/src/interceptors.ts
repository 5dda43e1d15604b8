import * as grpc from '@grpc/grpc-js';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { Counter, Histogram } from 'prom-client';

import { metricsRegistry } from '@dmp/telemetry';

const tracer = trace.getTracer('@dmp/grpc');

/** Reads and writes W3C trace context in gRPC metadata. */
const metadataGetter: TextMapGetter<grpc.Metadata> = {
  get: (metadata, key) => metadata.get(key).map(String),
  keys: (metadata) => Object.keys(metadata.getMap()),
};
const metadataSetter: TextMapSetter<grpc.Metadata> = {
  set: (metadata, key, value) => metadata.set(key, value),
};

// RED metrics with the names go-grpc-prometheus made standard, so existing dashboards work.
const handled = new Counter({
  name: 'grpc_server_handled_total',
  help: 'RPCs completed on the server, by method and status code.',
  labelNames: ['grpc_service', 'grpc_method', 'grpc_code'],
  registers: [metricsRegistry],
});
const handlingSeconds = new Histogram({
  name: 'grpc_server_handling_seconds',
  help: 'Time from receiving an RPC to sending its status.',
  labelNames: ['grpc_service', 'grpc_method'],
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

function splitPath(path: string): [service: string, method: string] {
  const [, service = 'unknown', method = 'unknown'] = path.split('/');
  return [service, method];
}

/**
 * One server interceptor for RED metrics and a server span per RPC. The span continues the caller's trace
 * (W3C traceparent in metadata) and is made active while the handler runs, so logs and outgoing calls
 * made by the handler carry its trace id.
 */
export const observabilityInterceptor: grpc.ServerInterceptor = (methodDescriptor, call) => {
  const [service, method] = splitPath(methodDescriptor.path);
  const started = process.hrtime.bigint();
  let span: Span | undefined;
  let spanContext: Context = ROOT_CONTEXT;
  return new grpc.ServerInterceptingCall(call, {
    start: (next) =>
      next({
        onReceiveMetadata: (metadata, nextMetadata) => {
          const parent = propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
          span = tracer.startSpan(
            `${service}/${method}`,
            {
              kind: SpanKind.SERVER,
              attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method },
            },
            parent
          );
          spanContext = trace.setSpan(parent, span);
          context.with(spanContext, () => nextMetadata(metadata));
        },
        onReceiveMessage: (message, nextMessage) => context.with(spanContext, () => nextMessage(message)),
        onReceiveHalfClose: (nextHalfClose) => context.with(spanContext, () => nextHalfClose()),
      }),
    sendStatus: (status, nextStatus) => {
      const code = status.code ?? grpc.status.OK;
      handled.inc({ grpc_service: service, grpc_method: method, grpc_code: grpc.status[code] });
      handlingSeconds.observe(
        { grpc_service: service, grpc_method: method },
        Number(process.hrtime.bigint() - started) / 1e9
      );
      if (span) {
        span.setAttribute('rpc.grpc.status_code', code);
        if (code !== grpc.status.OK) span.setStatus({ code: SpanStatusCode.ERROR, message: status.details ?? '' });
        span.end();
      }
      nextStatus(status);
    },
  });
};

/** Client interceptor: every outgoing call carries the current trace context. */
export const traceContextInterceptor: grpc.Interceptor = (options, nextCall) =>
  new grpc.InterceptingCall(nextCall(options), {
    start: (metadata, listener, next) => {
      propagation.inject(context.active(), metadata, metadataSetter);
      next(metadata, listener);
    },
  });

/**
 * Client interceptor: a call without a deadline gets `defaultMs`. gRPC sets no deadline by default, and a
 * call without one can hang for as long as the connection lives.
 */
export function defaultDeadlineInterceptor(defaultMs: number): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(
      nextCall(options.deadline === undefined ? { ...options, deadline: Date.now() + defaultMs } : options)
    );
}

/** Client interceptor: every call carries the API key (`authorization: Bearer <key>`). */
export function apiKeyInterceptor(apiKey: string): grpc.Interceptor {
  const authorization = `Bearer ${apiKey}`;
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start: (metadata, listener, next) => {
        metadata.set('authorization', authorization);
        next(metadata, listener);
      },
    });
}
