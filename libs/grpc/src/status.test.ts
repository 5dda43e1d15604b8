import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';

import {
  InvalidArgumentError,
  NotFoundError,
  ResourceExhaustedError,
  UnavailableError,
  UnimplementedError,
} from '@dmp/runtime';

import { toStatus, unary } from './status';

describe('toStatus', () => {
  it('maps each domain error to its status with its message', () => {
    expect(toStatus(new InvalidArgumentError('n', 'must be positive'))).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: 'n: must be positive',
    });
    expect(toStatus(new NotFoundError('x'))).toMatchObject({ code: grpc.status.NOT_FOUND });
    expect(toStatus(new UnavailableError('x'))).toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect(toStatus(new ResourceExhaustedError('x'))).toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED });
    expect(toStatus(new UnimplementedError('x'))).toMatchObject({ code: grpc.status.UNIMPLEMENTED });
  });

  it('hides anything else behind a fixed INTERNAL message: no stack, no internals', () => {
    const status = toStatus(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    expect(status).toMatchObject({ code: grpc.status.INTERNAL, details: 'internal error' });
  });

  it('passes through a downstream UNAVAILABLE or DEADLINE_EXCEEDED, and turns other downstream codes into INTERNAL', () => {
    const downstream = (code: grpc.status): grpc.ServiceError =>
      Object.assign(new Error('x'), { code, details: 'peer said no', metadata: new grpc.Metadata() });
    expect(toStatus(downstream(grpc.status.UNAVAILABLE))).toMatchObject({
      code: grpc.status.UNAVAILABLE,
      details: 'peer said no',
    });
    expect(toStatus(downstream(grpc.status.DEADLINE_EXCEEDED)).code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(toStatus(downstream(grpc.status.INVALID_ARGUMENT)).code).toBe(grpc.status.INTERNAL);
  });
});

describe('unary', () => {
  it('calls back exactly once, with the value or with the mapped error', async () => {
    const calls: unknown[][] = [];
    const callback = (...args: unknown[]): void => void calls.push(args);
    const call = { request: { n: 1 } } as unknown as grpc.ServerUnaryCall<{ n: number }, { ok: boolean }>;
    unary<{ n: number }, { ok: boolean }>(async () => ({ ok: true }))(call, callback);
    unary<{ n: number }, { ok: boolean }>(async () => {
      throw new InvalidArgumentError('n', 'bad');
    })(call, callback);
    // A handler that throws before returning its promise is answered too.
    unary<{ n: number }, { ok: boolean }>(() => {
      throw new InvalidArgumentError('n', 'sync');
    })(call, callback);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(3);
    expect(calls.map((c) => (c[0] as { details?: string } | null)?.details)).toContain('n: sync');
    expect(calls).toContainEqual([null, { ok: true }]);
    expect(calls.map((c) => (c[0] as { details?: string } | null)?.details)).toContain('n: bad');
  });
});
