/**
 * Domain errors. Domain modules throw these and know nothing of gRPC; the gRPC layer maps each class to
 * one status code in one place (libs/grpc/src/status.ts). Messages are written for the caller: they name
 * the offending field and never carry a stack trace or an internal detail.
 */
export class InvalidArgumentError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string
  ) {
    super(`${field}: ${problem}`);
    this.name = 'InvalidArgumentError';
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The caller is known but may not do this (its key's scope or tenant). */
export class PermissionDeniedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermissionDeniedError';
  }
}

/** A dependency (NATS, Redis, a model) cannot serve right now; the caller may retry after `retryAfterMs`. */
export class UnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions & { retryAfterMs?: number }) {
    super(message, options);
    this.name = 'UnavailableError';
    this.retryAfterMs = options?.retryAfterMs ?? 1_000;
  }

  readonly retryAfterMs: number;
}

/** A limit was hit (rate, capacity, quota); the caller may retry after `retryAfterMs`. */
export class ResourceExhaustedError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs = 1_000
  ) {
    super(message);
    this.name = 'ResourceExhaustedError';
  }
}

/** The operation is defined but this deployment cannot perform it. */
export class UnimplementedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnimplementedError';
  }
}

/** The operation lost a race with a concurrent one (e.g. another rebuild took over); the caller may retry. */
export class AbortedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AbortedError';
  }
}
