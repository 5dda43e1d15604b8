/**
 * Property tests of decisioning's serving RPCs (Recommend, NextContent, Decide) on one real process with
 * thousands of arbitrary and mutated requests: typed requests with random fields and random protobuf bytes.
 * The process never crashes, never answers INTERNAL or UNKNOWN (except for bytes that are not protobuf, which
 * grpc-js refuses before any handler runs), no message carries a stack trace, answers are well formed, and
 * its memory stays bounded. Seeds are fixed, so a failure reproduces. FUZZ_SCALE multiplies the run counts
 * (`pnpm fuzz`).
 */

import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_DEMO, demoEvents, ingestEvents } from '@dmp/demo-data';
import { loadProtos, type DecisioningServiceClient, type RecommendResponse__Output } from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';

import {
  addTenant,
  callUnary,
  checkHealth,
  clients,
  publishModels,
  startServers,
  residentMiB,
  startService,
  TEST_API_KEY,
  waitFor,
  type Servers,
} from '../../../test/harness';

const SCALE = Math.max(1, Number(process.env['FUZZ_SCALE'] ?? 1));
const STACK_TRACE = '\n    at ';
const CLIENT_ERRORS = ['INVALID_ARGUMENT', 'NOT_FOUND', 'RESOURCE_EXHAUSTED', 'PERMISSION_DENIED'];
const SERVICE = loadProtos().packageDefinition['dmp.decisioning.v1.DecisioningService'] as unknown as Record<
  'Recommend' | 'NextContent' | 'Decide',
  grpc.MethodDefinition<unknown, unknown>
>;

let servers: Servers;
let decisioning: ServiceProcess;
let client: DecisioningServiceClient;
let rawClient: grpc.Client;
let startedPid: number | undefined;
let requestsSent = 0;

/** Strings callers send: empty, ids, long, odd unicode, control characters. */
const text = fc.oneof(
  fc.constantFrom('', 'u-0001', 'sku-0042', 'home-banner', 'web', 'cat-01', ' ', '\u0000', 'a'.repeat(300)),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 })
);
const tenant = fc.oneof(
  fc.constantFrom('shop', 'shop', 'shop', 'nope', '', 'SHOP', 'a'.repeat(40)),
  fc.string({ maxLength: 12 })
);
const context = fc.option(fc.record({ channel: text, pageCategory: text, currentItemId: text }, { requiredKeys: [] }), {
  nil: undefined,
});
const n = fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constantFrom(0, 1, 10, 2 ** 31 - 1, -(2 ** 31)));

const calls = fc.oneof(
  fc.record({
    method: fc.constant('Recommend' as const),
    request: fc.record(
      { tenantId: tenant, userId: text, n, surface: text, context, excludeItemIds: fc.array(text, { maxLength: 60 }) },
      { requiredKeys: ['tenantId'] }
    ),
  }),
  fc.record({
    method: fc.constant('NextContent' as const),
    request: fc.record({ tenantId: tenant, userId: text, currentItemId: text, n }, { requiredKeys: ['tenantId'] }),
  }),
  fc.record({
    method: fc.constant('Decide' as const),
    request: fc.record(
      { tenantId: tenant, userId: text, placement: text, context, channel: text },
      {
        requiredKeys: ['tenantId'],
      }
    ),
  })
);

/** Valid requests with bytes flipped, cut or appended: protobuf the server may or may not decode. */
const rawCalls = fc
  .record({
    method: fc.constantFrom('Recommend' as const, 'NextContent' as const, 'Decide' as const),
    flips: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
    tail: fc.uint8Array({ maxLength: 16 }),
  })
  .map(({ method, flips, cut, tail }) => {
    const base = SERVICE[method].requestSerialize({
      tenantId: 'shop',
      userId: 'u-0001',
      n: 5,
      placement: 'home-banner',
    });
    let bytes = Buffer.concat([base, Buffer.from(tail)]);
    for (const { at, byte } of flips) bytes[at % bytes.length] = byte;
    if (cut !== undefined) bytes = bytes.subarray(0, cut % (bytes.length + 1));
    return { method, bytes };
  });

function send(method: 'Recommend' | 'NextContent' | 'Decide', request: unknown): Promise<grpc.ServiceError | null> {
  return new Promise((resolve) => {
    const done = (error: grpc.ServiceError | null) => resolve(error);
    if (method === 'Recommend') client.Recommend(request as never, done);
    else if (method === 'NextContent') client.NextContent(request as never, done);
    else client.Decide(request as never, done);
  });
}

function sendRaw(method: 'Recommend' | 'NextContent' | 'Decide', bytes: Buffer): Promise<grpc.ServiceError | null> {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${TEST_API_KEY}`);
  return new Promise((resolve) =>
    rawClient.makeUnaryRequest(
      SERVICE[method].path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      metadata,
      { deadline: Date.now() + 10_000 },
      (error) => resolve(error)
    )
  );
}

/** Whether the server's own decoder reads these bytes (as grpc-js does before the handler). */
function decodes(method: 'Recommend' | 'NextContent' | 'Decide', bytes: Buffer): boolean {
  try {
    SERVICE[method].requestDeserialize(bytes);
    return true;
  } catch {
    return false;
  }
}

/** OK, or a client's error without a stack trace. */
function expectClientError(method: string, error: grpc.ServiceError | null): void {
  if (!error) return;
  expect(CLIENT_ERRORS, `${method} ${grpc.status[error.code]}: ${error.details}`).toContain(grpc.status[error.code]);
  expect(error.details).not.toContain(STACK_TRACE);
}

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  await publishModels(servers.nc);
  const intake = await startService('event-intake', servers);
  const store = await startService('feature-store', servers);
  decisioning = await startService('decisioning', servers);
  startedPid = decisioning.pid;
  client = clients.decisioning(decisioning.address, { defaultDeadlineMs: 10_000 });
  rawClient = new grpc.Client(decisioning.address, grpc.credentials.createInsecure());
  // Some history, so that personal paths run too.
  const ingest = clients.intake(intake.address, { defaultDeadlineMs: 10_000 });
  const summary = await ingestEvents(ingest, 'shop', demoEvents({ ...DEFAULT_DEMO, events: 2_000, endMs: Date.now() }));
  expect(summary.accepted).toBe(2_000);
  ingest.close();
  await waitFor('the demo history applied', async () => {
    const answer = await callUnary<RecommendResponse__Output>((done) =>
      client.Recommend({ tenantId: 'shop', userId: 'u-0001', n: 5 }, done)
    );
    return answer.personalized;
  });
  await store.stop();
  await intake.stop();
}, 120_000);

afterAll(async () => {
  client?.close();
  rawClient?.close();
  await decisioning?.stop();
  await servers?.stop();
});

describe('decisioning under fuzzed input', () => {
  it('answers arbitrary Recommend, NextContent and Decide requests OK or with a client error', async () => {
    await fc.assert(
      fc.asyncProperty(calls, async ({ method, request }) => {
        requestsSent++;
        const error = await send(method, request);
        expectClientError(method, error);
      }),
      { seed: 20261207, numRuns: 2000 * SCALE }
    );
  });

  it('answers mutated request bytes without INTERNAL, except where the bytes are not protobuf', async () => {
    await fc.assert(
      fc.asyncProperty(rawCalls, async ({ method, bytes }) => {
        requestsSent++;
        const error = await sendRaw(method, bytes);
        if (!decodes(method, bytes)) {
          expect(error && { code: grpc.status[error.code], details: error.details }).toEqual({
            code: 'INTERNAL',
            details: 'Error deserializing request',
          });
          return;
        }
        expectClientError(method, error);
      }),
      { seed: 712, numRuns: 1000 * SCALE }
    );
  });

  it('is still up afterwards: SERVING, answering, the same process, memory bounded, nothing unexpected logged', async () => {
    expect(await checkHealth(decisioning.address)).toBe('SERVING');
    expect(await send('Recommend', { tenantId: 'shop', userId: 'u-0001', n: 5 })).toBeNull();
    expect(decisioning.pid).toBe(startedPid);
    const rssMiB = residentMiB(decisioning.pid!);
    expect(rssMiB).toBeLessThan(600);
    const lines = decisioning.output().split('\n');
    expect(lines.filter((line) => /unhandled|fatal|unexpected error/i.test(line))).toEqual([]);
    process.stdout.write(`fuzz decisioning: ${requestsSent} requests, RSS ${rssMiB.toFixed(0)} MiB\n`);
  });
});
