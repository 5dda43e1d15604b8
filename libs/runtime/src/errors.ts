/**
 * Domain errors. Domain modules throw these and know nothing of gRPC; the gRPC layer maps each class to
 * one status code in one place (libs/grpc/src/status.ts). Messages are written for the caller: they name
 * the offending field and never carry a stack trace or an internal detail.
 */
export class InvalidArgumentError extends Error {
  constructor(
    readonly field: string,
    problem: string
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

/** A dependency (NATS, Redis, a model) cannot serve right now; the caller may retry. */
export class UnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnavailableError';
  }
}

/** A limit was hit: batch size, rate, quota. */
export class ResourceExhaustedError extends Error {
  constructor(message: string) {
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
