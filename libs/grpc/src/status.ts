import * as grpc from '@grpc/grpc-js';

import {
  AbortedError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnavailableError,
  UnimplementedError,
  type Logger,
} from '@dmp/runtime';

/** Trailing metadata key with the number of milliseconds after which a retry makes sense. */
export const RETRY_AFTER_MS = 'retry-after-ms';

let internalErrorLog: Logger | undefined;

/** Where unexpected errors are logged (with their stack) before callers get a bare INTERNAL. */
export function setInternalErrorLog(log: Logger): void {
  internalErrorLog = log;
}

// Statuses a downstream gRPC call may return that mean the same for our caller; any other downstream
// status is our own bug and becomes INTERNAL.
const PASSED_THROUGH = new Set<number>([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.CANCELLED,
]);

/**
 * Maps an error thrown by a handler to the status sent to the caller: each domain error class to its
 * code, with its message; anything else to INTERNAL with a fixed message. Stack traces stay in our logs.
 */
export function toStatus(error: unknown): grpc.StatusObject {
  const status = (code: grpc.status, details: string): grpc.StatusObject => {
    const metadata = new grpc.Metadata();
    // Retry advice for backpressure answers, in trailing metadata (HTTP's Retry-After, in milliseconds).
    if (error instanceof UnavailableError || error instanceof ResourceExhaustedError) {
      metadata.set(RETRY_AFTER_MS, String(Math.ceil(error.retryAfterMs)));
    }
    return { code, details, metadata };
  };
  if (error instanceof InvalidArgumentError) return status(grpc.status.INVALID_ARGUMENT, error.message);
  if (error instanceof NotFoundError) return status(grpc.status.NOT_FOUND, error.message);
  if (error instanceof PermissionDeniedError) return status(grpc.status.PERMISSION_DENIED, error.message);
  if (error instanceof UnavailableError) return status(grpc.status.UNAVAILABLE, error.message);
  if (error instanceof ResourceExhaustedError) return status(grpc.status.RESOURCE_EXHAUSTED, error.message);
  if (error instanceof UnimplementedError) return status(grpc.status.UNIMPLEMENTED, error.message);
  if (error instanceof AbortedError) return status(grpc.status.ABORTED, error.message);
  if (isServiceError(error) && PASSED_THROUGH.has(error.code)) return status(error.code, error.details);
  internalErrorLog?.error('unexpected error in handler', { error });
  return status(grpc.status.INTERNAL, 'internal error');
}

/** A gRPC call's error. Other libraries' errors carry numeric codes too (NATS's JetStream API errors do). */
export function isServiceError(error: unknown): error is grpc.ServiceError {
  const { code, details } = error as Partial<grpc.ServiceError>;
  return error instanceof Error && typeof code === 'number' && code in grpc.status && typeof details === 'string';
}

/**
 * Wraps an async unary handler so it answers exactly once: the returned value, or the mapped error.
 * Compare grpc-node's error_handling example, whose missing `return` calls back twice.
 */
export function unary<Req, Res>(
  handler: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    // Through a promise chain, so a handler that throws before its first await is answered as well.
    Promise.resolve()
      .then(() => handler(call.request, call))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toStatus(error))
      );
  };
}

/** The same guard for client-streaming handlers: one answer, errors mapped. */
export function clientStreaming<Req, Res>(
  handler: (call: grpc.ServerReadableStream<Req, Res>) => Promise<Res>
): grpc.handleClientStreamingCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toStatus(error))
      );
  };
}

/**
 * The same guard for server-streaming handlers: the handler writes, then the stream ends; an error ends it
 * with the mapped status instead.
 */
export function serverStreaming<Req, Res>(
  handler: (request: Req, call: grpc.ServerWritableStream<Req, Res>) => Promise<void>
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    Promise.resolve()
      .then(() => handler(call.request, call))
      .then(
        () => call.end(),
        (error: unknown) => call.emit('error', toStatus(error))
      );
  };
}
