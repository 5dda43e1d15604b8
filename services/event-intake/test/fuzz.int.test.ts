/**
 * Property tests of both doors of one real intake process (gRPC and HTTP/JSON) with thousands of malformed
 * requests: the process never crashes, never answers INTERNAL/UNKNOWN or 500, and every answer is well
 * formed. Seeds are fixed, so a failure reproduces; fast-check prints the seed and the shrunk input.
 */
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  loadProtos,
  type Event,
  type EventContext,
  type Identities,
  type IngestRequest,
  type IngestRequest__Output,
  type IngestResponse__Output,
  type IntakeServiceClient,
  type PropertyValue,
} from '@dmp/grpc';
import { freePort, type ServiceProcess } from '@dmp/local-servers';

import {
  addTenant,
  callUnary,
  checkHealth,
  clients,
  startServers,
  residentMiB,
  startService,
  TEST_API_KEY,
  type Servers,
} from '../../../test/harness';

const TENANT = 'fuzz';
/** FUZZ_SCALE multiplies every run count: CI runs 1 (3,500 requests here); \`pnpm fuzz\` runs more. */
const SCALE = Math.max(1, Number(process.env['FUZZ_SCALE'] ?? 1));
/** Events answered ACCEPTED, at both doors: each must be in the stream exactly once at the end. */
let acceptedEvents = 0;
let requestsSent = 0;
const INGEST = loadProtos().protos.dmp.intake.v1.IntakeService.service.Ingest;
const STACK_TRACE = '\n    at ';
const EVENT_STATUSES = ['EVENT_STATUS_ACCEPTED', 'EVENT_STATUS_DUPLICATE', 'EVENT_STATUS_REJECTED'];
const GRPC_ERRORS = ['INVALID_ARGUMENT', 'NOT_FOUND', 'RESOURCE_EXHAUSTED'];
/** HTTP statuses the door may answer a POST /v1/events with, and the error code each carries. */
const HTTP_ERRORS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  404: 'NOT_FOUND',
  413: 'RESOURCE_EXHAUSTED',
  415: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
};

// ---------------------------------------------------------------------------------------------------
// Arbitraries shared by both doors
// ---------------------------------------------------------------------------------------------------

const HUGE = 'x'.repeat(5 * 1024 * 1024); // over the 4 MiB request limit
const ODD_STRINGS = [
  '',
  ' ',
  '\0',
  '\t\r\n',
  '\u202e\u200b',
  '\ufeff',
  '💥🇷🇺',
  'x'.repeat(129),
  'x'.repeat(257),
  'x'.repeat(4097),
  'é'.repeat(70_000),
  '+7 912 345-67-89',
  '89123456789',
  'Alice@Example.COM',
  'a@b',
  '__proto__',
  'constructor',
  'toString',
  'events.v1.>',
  '*',
  '../../etc/passwd',
  '%s%n%x',
  '${jndi:ldap://x/a}',
  '<script>alert(1)</script>',
  'null',
  'NaN',
  '-1',
  '1e309',
];

const char = (min: number, max: number): fc.Arbitrary<string> =>
  fc.integer({ min, max }).map((code) => String.fromCharCode(code));
const loneSurrogate = char(0xd800, 0xdfff);

/** Any kind of string: printable ASCII, any code point, graphemes, lone surrogates, and known troublemakers. */
const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string() },
  { weight: 3, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: loneSurrogate, maxLength: 3 }) },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_STRINGS) }
);
/** Ids as intake wants them (1 to 24 visible ASCII characters). */
const visibleId = fc.string({ unit: char(0x21, 0x7e), minLength: 1, maxLength: 24 });
/** Mostly well-formed ids, so that events get past the first checks. */
const idish = fc.oneof({ weight: 4, arbitrary: visibleId }, { weight: 1, arbitrary: oddString });
const typeName = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('view', 'purchase', 'search', 'click', 'delivery_status', 'play_progress', 'data_usage'),
  },
  { weight: 1, arbitrary: oddString }
);
const propertyName = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('price', 'currency', 'quantity', 'query', 'position_s', 'bytes', 'status', 'note'),
  },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/) },
  { weight: 1, arbitrary: oddString }
);
const anyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 1)
);
const msisdn = fc.oneof(
  oddString,
  fc.constantFrom('+7 912 345-67-89', '89123456789', '+1 202 555 0143', '12345', `+${'9'.repeat(70)}`)
);
const email = fc.oneof(
  oddString,
  fc.constantFrom('Alice@Example.COM', 'a@b.co', 'not-an-email', `${'x'.repeat(300)}@a.co`)
);

// ---------------------------------------------------------------------------------------------------
// gRPC: Event-shaped objects
// ---------------------------------------------------------------------------------------------------

const timestamp = fc.record(
  {
    seconds: fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 946_684_800, max: 1_900_000_000 }).map(String) },
      { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String) }
    ),
    nanos: fc.oneof(fc.constant(0), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
  },
  { requiredKeys: [] }
);

const propertyValue: fc.Arbitrary<PropertyValue> = fc.oneof(
  fc.record({ stringValue: oddString }),
  fc.record({ numberValue: anyNumber }),
  fc.record({ boolValue: fc.boolean() }),
  fc.constant({}),
  // Every member of the oneof at once: the last one on the wire wins.
  fc.record({ stringValue: oddString, numberValue: anyNumber, boolValue: fc.boolean() })
);

const properties = fc.oneof(
  { weight: 12, arbitrary: fc.dictionary(propertyName, propertyValue, { maxKeys: 6 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.stringMatching(/^[a-z]{1,12}$/), propertyValue, { minKeys: 51, maxKeys: 55 }),
  }
);

const identities: fc.Arbitrary<Identities> = fc.record(
  {
    userId: idish,
    anonymousId: idish,
    deviceId: idish,
    msisdn,
    email,
    msisdnHash: oddString,
    emailHash: oddString,
    hashKeyId: oddString,
  },
  { requiredKeys: [] }
);

const eventContext: fc.Arbitrary<EventContext> = fc.record(
  {
    channel: oddString,
    placement: oddString,
    pageCategory: oddString,
    geo: fc.option(
      fc.record(
        { country: fc.oneof(oddString, fc.constantFrom('RU', 'ru', 'RUS')), region: oddString, city: oddString },
        { requiredKeys: [] }
      ),
      { nil: null }
    ),
    device: fc.option(fc.record({ type: oddString, os: oddString, model: oddString }, { requiredKeys: [] }), {
      nil: null,
    }),
    app: fc.option(fc.record({ name: oddString, version: oddString }, { requiredKeys: [] }), { nil: null }),
  },
  { requiredKeys: [] }
);

const EVENT_FIELDS = [
  'eventId',
  'tenantId',
  'type',
  'occurredAt',
  'receivedAt',
  'identities',
  'itemIds',
  'context',
  'properties',
] as const;

/** Any Event: every field optional, each of any shape its type allows. */
const anyEvent: fc.Arbitrary<Event> = fc.record(
  {
    eventId: idish,
    tenantId: oddString,
    type: typeName,
    occurredAt: fc.option(timestamp, { nil: null }),
    receivedAt: fc.option(timestamp, { nil: null }),
    identities: fc.option(identities, { nil: null }),
    itemIds: fc.oneof(
      { weight: 8, arbitrary: fc.array(idish, { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.array(visibleId, { minLength: 101, maxLength: 103 }) }
    ),
    context: fc.option(eventContext, { nil: null }),
    properties,
  },
  { requiredKeys: [] }
);

/** A valid event (click, search or view)… */
const validEvent: fc.Arbitrary<Event> = fc.record({
  eventId: visibleId,
  type: fc.constantFrom('click', 'search', 'view'),
  identities: fc.record({ userId: visibleId }),
  itemIds: fc.array(visibleId, { minLength: 1, maxLength: 3 }),
  properties: fc.constant({ query: { stringValue: 'red shoes' }, price: { numberValue: 9.5 } }),
});
/** …with up to three of its fields replaced by arbitrary ones, so that checks late in validation run too. */
const nearlyValidEvent: fc.Arbitrary<Event> = fc
  .tuple(validEvent, anyEvent, fc.subarray([...EVENT_FIELDS], { maxLength: 3 }))
  .map(([valid, odd, fields]) => {
    const event: Event = { ...valid };
    for (const field of fields) Object.assign(event, { [field]: odd[field] });
    return event;
  });
const someEvent = fc.oneof(anyEvent, nearlyValidEvent);

const grpcBatch: fc.Arbitrary<Event[]> = fc.oneof(
  { weight: 300, arbitrary: fc.array(someEvent, { minLength: 1, maxLength: 4 }) },
  { weight: 5, arbitrary: fc.constant<Event[]>([]) },
  // Over the batch limit.
  { weight: 5, arbitrary: validEvent.map((event) => Array.from({ length: 1001 }, () => event)) },
  // Exactly at the batch limit.
  {
    weight: 1,
    arbitrary: validEvent.map((event) =>
      Array.from({ length: 1000 }, (_, i) => ({ ...event, eventId: `${event.eventId}-${i}` }))
    ),
  },
  // Over the 4 MiB message limit.
  { weight: 3, arbitrary: validEvent.map((event) => [{ ...event, properties: { blob: { stringValue: HUGE } } }]) },
  // Each property within limits, the event over 64 KiB encoded.
  {
    weight: 3,
    arbitrary: validEvent.map((event) => [
      {
        ...event,
        properties: Object.fromEntries(
          Array.from({ length: 20 }, (_, i) => [`p${i}`, { stringValue: 'y'.repeat(4000) }])
        ),
      },
    ]),
  }
);

const tenant = fc.oneof(
  { weight: 30, arbitrary: fc.constant(TENANT) },
  { weight: 1, arbitrary: oddString },
  { weight: 1, arbitrary: fc.constantFrom('', 'nobody', 'Fuzz', 'fuzz ', 'fuzz.>', 'x'.repeat(33)) }
);

const grpcRequest: fc.Arbitrary<IngestRequest> = fc.record({ tenantId: tenant, events: grpcBatch });

// ---------------------------------------------------------------------------------------------------
// gRPC: raw request bytes
// ---------------------------------------------------------------------------------------------------

const RAW_BYTES = [
  Buffer.alloc(0),
  Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), // tenant_id with a 4 GiB length
  Buffer.from([0x12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), // an 11-byte varint
  Buffer.alloc(100_000, 0x7b), // 100k nested start-groups of an unknown field
  Buffer.concat([Buffer.from([0x0a, 0x04]), Buffer.from('fuzz'), Buffer.alloc(50_000, 0x12)]), // events of declared length 0x12…
  Buffer.from([0x0a, 0x04, 0x66, 0x75, 0x7a, 0x7a, 0x12, 0x02, 0x32, 0x00]), // an event with an empty identities
  Buffer.from([0x0a, 0x04, 0x66, 0x75, 0x7a, 0x7a, 0x12, 0x03, 0x0a, 0x01, 0xff]), // an event id that is not UTF-8
];

/** The bytes of a plausible request, then bytes overwritten, cut off and appended. */
const mutatedRequestBytes: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.array(someEvent, { minLength: 1, maxLength: 3 }),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat() }),
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(new Uint8Array()) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }) }
    )
  )
  .map(([events, writes, cut, tail]) => {
    let bytes = Buffer.from(INGEST.requestSerialize({ tenantId: TENANT, events }));
    for (const [at, byte] of writes) bytes[at % bytes.length] = byte;
    if (cut !== undefined) bytes = bytes.subarray(0, cut % (bytes.length + 1));
    return Buffer.concat([bytes, tail]);
  });

const rawRequest: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 6, arbitrary: mutatedRequestBytes },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_BYTES) }
);

// ---------------------------------------------------------------------------------------------------
// HTTP: JSON bodies
// ---------------------------------------------------------------------------------------------------

const rfc3339ish = fc.oneof(
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom(
    '2025-11-25T12:00:00Z',
    '2025-11-25T12:00:00.123456789+03:00',
    '2025-02-30T00:00:00Z',
    '2025-11-25T24:00:00Z',
    '2025-11-25T23:59:60Z',
    '9999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
    '2025-11-25T12:00:00',
    `2025-11-25T12:00:00.${'9'.repeat(10_000)}Z`
  ),
  oddString
);
const jsonTime = fc.oneof(
  rfc3339ish,
  fc.record(
    {
      seconds: fc.oneof(fc.integer(), fc.double(), oddString, fc.bigInt().map(String)),
      nanos: fc.oneof(fc.integer(), fc.double(), oddString),
    },
    { requiredKeys: [] }
  ),
  fc.jsonValue({ maxDepth: 2 })
);
const jsonScalar = fc.oneof(
  oddString,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null)
);
const jsonProperties = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.dictionary(
      propertyName,
      fc.oneof({ weight: 5, arbitrary: jsonScalar }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }),
      { maxKeys: 6 }
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }
);
const jsonIdentities = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      { user_id: idish, anonymous_id: idish, device_id: idish, msisdn, email, msisdn_hash: oddString },
      { requiredKeys: [] }
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }
);
const jsonContext = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        channel: jsonScalar,
        placement: oddString,
        page_category: oddString,
        geo: fc.oneof(
          fc.record(
            { country: fc.oneof(jsonScalar, fc.constant('RU')), region: jsonScalar, city: oddString },
            { requiredKeys: [] }
          ),
          jsonScalar
        ),
        device: fc.oneof(
          fc.record({ type: jsonScalar, os: oddString, model: oddString }, { requiredKeys: [] }),
          jsonScalar
        ),
        app: fc.oneof(
          fc.record({ name: oddString, version: jsonScalar }, { requiredKeys: [] }),
          fc.jsonValue({ maxDepth: 1 })
        ),
      },
      { requiredKeys: [] }
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }
);

/** Any JSON event: the fields of an event, each of any JSON shape. */
const anyJsonEvent: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    event_id: fc.oneof({ weight: 5, arbitrary: idish }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
    tenant_id: oddString,
    type: fc.oneof({ weight: 5, arbitrary: typeName }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
    occurred_at: jsonTime,
    received_at: jsonTime,
    identities: jsonIdentities,
    item_ids: fc.oneof(
      { weight: 5, arbitrary: fc.array(idish, { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }
    ),
    context: jsonContext,
    properties: jsonProperties,
  },
  { requiredKeys: [] }
);
const validJsonEvent: fc.Arbitrary<Record<string, unknown>> = fc.record({
  event_id: visibleId,
  type: fc.constantFrom('click', 'search', 'view'),
  identities: fc.record({ user_id: visibleId }),
  item_ids: fc.array(visibleId, { minLength: 1, maxLength: 3 }),
  occurred_at: fc.constantFrom(undefined, '2025-11-25T12:00:00Z', { seconds: 1764072000, nanos: 5 }),
  properties: fc.constant({ query: 'red shoes', price: 9.5 }),
});
const nearlyValidJsonEvent = fc
  .tuple(
    validJsonEvent,
    anyJsonEvent,
    fc.subarray(['event_id', 'type', 'occurred_at', 'identities', 'item_ids', 'context', 'properties'], {
      maxLength: 3,
    })
  )
  .map(([valid, odd, fields]) => {
    const event = { ...valid };
    for (const field of fields) event[field] = odd[field];
    return event;
  });

const SNAKE = /_([a-z])/g;
/** Renames snake_case keys to lowerCamelCase, everywhere or nowhere, as protobuf's JSON mapping allows. */
const camelCase = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(camelCase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key.replace(SNAKE, (_, c: string) => c.toUpperCase()), camelCase(v)])
  );
};
const someJsonEvent = fc
  .tuple(
    fc.oneof(anyJsonEvent, nearlyValidJsonEvent, nearlyValidJsonEvent, fc.jsonValue({ maxDepth: 2 })),
    fc.boolean()
  )
  .map(([event, camel]) => (camel ? camelCase(event) : event));

/** A request as a client would send it, with events mixing valid and invalid shapes. */
const jsonRequest: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.record(
      {
        tenant_id: fc.oneof({ weight: 20, arbitrary: tenant }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
        events: fc.oneof(
          { weight: 40, arbitrary: fc.array(someJsonEvent, { minLength: 1, maxLength: 5 }) },
          { weight: 1, arbitrary: fc.constant([]) },
          { weight: 1, arbitrary: validJsonEvent.map((event) => Array.from({ length: 1001 }, () => event)) },
          { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 1 }) }
        ),
        extra: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: ['events'] }
    ),
    fc.boolean()
  )
  .map(([request, camel]) => (camel ? camelCase(request) : request));

interface HttpCase {
  body: Uint8Array;
  contentType: string | undefined;
}
const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value) ?? 'null');

const httpCase: fc.Arbitrary<HttpCase> = fc
  .tuple(
    fc.oneof(
      { weight: 12, arbitrary: jsonRequest.map(json) },
      { weight: 3, arbitrary: fc.jsonValue().map(json) },
      { weight: 1, arbitrary: fc.jsonValue({ stringUnit: 'binary' }).map(json) },
      { weight: 2, arbitrary: fc.object().map(json) },
      { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary' }).map((text) => Buffer.from(text)) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(jsonRequest.map(json), fc.nat())
          .map(([bytes, cut]) => bytes.subarray(0, cut % (bytes.length + 1))),
      },
      { weight: 1, arbitrary: fc.constant(Buffer.from(`{"tenant_id":"${TENANT}","events":[{"x":"${HUGE}"}]}`)) }
    ),
    fc.oneof(
      { weight: 30, arbitrary: fc.constant('application/json') },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          'application/json; charset=utf-8',
          'APPLICATION/JSON',
          'application/json;charset=latin1',
          'application/json-seq'
        ),
      },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          undefined,
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/jsonx',
          ' application/json'
        ),
      }
    )
  )
  .map(([body, contentType]) => ({ body, contentType }));

// ---------------------------------------------------------------------------------------------------
// What every answer must look like
// ---------------------------------------------------------------------------------------------------

/** Each result in a result list: one per event, in order, rejected ones with field (of that event), rule and reason. */
function expectResults(results: unknown, count: number): void {
  expect(Array.isArray(results), 'results is a list').toBe(true);
  const list = results as { status?: unknown; field?: unknown; rule?: unknown; reason?: unknown }[];
  expect(list).toHaveLength(count);
  acceptedEvents += list.filter((result) => result.status === 'EVENT_STATUS_ACCEPTED').length;
  list.forEach((result, index) => {
    expect(EVENT_STATUSES).toContain(result.status);
    if (result.status !== 'EVENT_STATUS_REJECTED') return;
    expect(result.field).toMatch(new RegExp(`^events\\[${index}\\]($|[.[])`));
    expect(result.rule).toMatch(/^[a-z0-9_]+(\.[A-Za-z]+)?$/);
    expect(typeof result.reason === 'string' && result.reason.length > 0, 'reason').toBe(true);
    expect(result.reason).not.toContain(STACK_TRACE);
  });
}

/** A gRPC answer: OK with one result per event, or a client error without a stack trace. */
function expectGrpcAnswer(
  eventCount: number,
  error: grpc.ServiceError | null,
  response: IngestResponse__Output | undefined
): void {
  if (error) {
    expect(GRPC_ERRORS, `${grpc.status[error.code]}: ${error.details}`).toContain(grpc.status[error.code]);
    expect(error.details).not.toContain(STACK_TRACE);
    return;
  }
  expectResults(response?.results, eventCount);
}

const ingest = (
  client: IntakeServiceClient,
  request: IngestRequest
): Promise<[grpc.ServiceError | null, IngestResponse__Output | undefined]> =>
  new Promise((resolve) => client.Ingest(request, (error, response) => resolve([error, response])));

const withTestKey = (metadata: grpc.Metadata): grpc.Metadata => {
  metadata.set('authorization', `Bearer ${TEST_API_KEY}`);
  return metadata;
};

const ingestRaw = (client: grpc.Client, bytes: Buffer): Promise<[grpc.ServiceError | null, Buffer | undefined]> =>
  new Promise((resolve) =>
    client.makeUnaryRequest(
      INGEST.path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      withTestKey(new grpc.Metadata()),
      { deadline: Date.now() + 10_000 },
      (error, response) => resolve([error, response])
    )
  );

/** How intake's protobuf decoder reads the bytes (the same code and options as the server's), if it can. */
const decodeRequest = (bytes: Buffer): IngestRequest__Output | undefined => {
  try {
    return INGEST.requestDeserialize(bytes);
  } catch {
    return undefined;
  }
};

/** The number of events in a body the door could parse, read the way the door reads it. */
const eventsIn = (body: Uint8Array): number => {
  const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as { events: unknown[] };
  return parsed.events.length;
};

describe('event-intake under fuzzed input at both doors', () => {
  let servers: Servers;
  let intake: ServiceProcess;
  /** The pid of the process started for this file: the last test checks that this very process is still up. */
  let startedPid: number | undefined;
  let client: IntakeServiceClient;
  let rawClient: grpc.Client;
  let httpUrl: string;

  beforeAll(async () => {
    servers = await startServers();
    await addTenant(servers.nc, TENANT, 10_000_000);
    const httpPort = await freePort();
    intake = await startService('event-intake', servers, { HTTP_PORT: String(httpPort), DEFAULT_PHONE_REGION: 'RU' });
    startedPid = intake.pid;
    expect(startedPid).toBeTypeOf('number');
    client = clients.intake(intake.address, { defaultDeadlineMs: 10_000 });
    rawClient = new grpc.Client(intake.address, grpc.credentials.createInsecure());
    httpUrl = `http://127.0.0.1:${httpPort}/v1/events`;
  });

  afterAll(async () => {
    client?.close();
    rawClient?.close();
    await intake?.stop();
    await servers?.stop();
  });

  it('gRPC: answers arbitrary Event-shaped requests OK with a result per event, or with a client error', async () => {
    await fc.assert(
      fc.asyncProperty(grpcRequest, async (request) => {
        requestsSent++;
        const [error, response] = await ingest(client, request);
        expectGrpcAnswer(request.events?.length ?? 0, error, response);
      }),
      { seed: 20261125, numRuns: 1500 * SCALE }
    );
  });

  it('gRPC: answers arbitrary request bytes without INTERNAL, except where the bytes are not protobuf', async () => {
    await fc.assert(
      fc.asyncProperty(rawRequest, async (bytes) => {
        requestsSent++;
        const [error, response] = await ingestRaw(rawClient, bytes);
        const request = decodeRequest(bytes);
        if (!request) {
          // grpc-js answers bytes it cannot decode itself, before any handler runs, with INTERNAL.
          expect(error && { code: grpc.status[error.code], details: error.details }).toEqual({
            code: 'INTERNAL',
            details: 'Error deserializing request',
          });
          return;
        }
        expectGrpcAnswer(request.events.length, error, response && INGEST.responseDeserialize(response));
      }),
      { seed: 4242, numRuns: 500 * SCALE }
    );
  });

  it('HTTP: answers arbitrary bodies with a listed status and a JSON body of results or an error', async () => {
    await fc.assert(
      fc.asyncProperty(httpCase, async ({ body, contentType }) => {
        requestsSent++;
        const response = await fetch(httpUrl, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${TEST_API_KEY}`,
            ...(contentType !== undefined && { 'content-type': contentType }),
          },
          body,
        });
        const text = await response.text();
        const context = `${response.status} ${text.slice(0, 500)}`;
        expect([200, ...Object.keys(HTTP_ERRORS).map(Number)], context).toContain(response.status);
        expect(response.headers.get('content-type')).toBe('application/json');
        const answer = JSON.parse(text) as { results?: unknown; error?: { code?: unknown; message?: unknown } };
        if (response.status === 200) {
          expect(Object.keys(answer)).toEqual(['results']);
          expectResults(answer.results, eventsIn(body));
          return;
        }
        expect(Object.keys(answer), context).toEqual(['error']);
        expect(answer.error?.code, context).toBe(HTTP_ERRORS[response.status]);
        expect(typeof answer.error?.message === 'string' && answer.error.message.length > 0, context).toBe(true);
        expect(answer.error?.message).not.toContain(STACK_TRACE);
      }),
      { seed: 1125, numRuns: 1500 * SCALE }
    );
  });

  it('is still up afterwards: SERVING, taking events at both doors, and nothing fatal or unhandled logged', async () => {
    expect(await checkHealth(intake.address)).toBe('SERVING');
    const event: Event = { eventId: 'after-fuzz', type: 'click', identities: { userId: 'u1' } };
    const response = await callUnary<IngestResponse__Output>((done) =>
      client.Ingest({ tenantId: TENANT, events: [event] }, done)
    );
    expect(EVENT_STATUSES.slice(0, 2)).toContain(response.results[0]?.status);
    if (response.results[0]?.status === 'EVENT_STATUS_ACCEPTED') acceptedEvents++;
    const http = await fetch(httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
      body: JSON.stringify({
        tenant_id: TENANT,
        events: [{ event_id: 'after-fuzz-http', type: 'click', identities: { user_id: 'u1' } }],
      }),
    });
    expect(await http.json()).toEqual({ results: [{ eventId: 'after-fuzz-http', status: 'EVENT_STATUS_ACCEPTED' }] });
    acceptedEvents++;
    // Every valid event among the fuzz was accepted exactly once: the stream holds as many of the tenant's as
    // were answered ACCEPTED (a duplicate id is answered DUPLICATE and not stored again).
    const jsm = await jetstreamManager(servers.nc);
    const stored =
      (await jsm.streams.info('EVENTS', { subjects_filter: `events.v1.${TENANT}.>` })).state.subjects ?? {};
    const storedCount = Object.values(stored).reduce((a, b) => a + b, 0);
    expect(acceptedEvents).toBeGreaterThan(100);
    expect(storedCount).toBe(acceptedEvents);
    // Memory stayed bounded (the chart's limit is 512Mi).
    const rssMiB = residentMiB(intake.pid!);
    expect(rssMiB).toBeLessThan(400);
    process.stdout.write(
      `fuzz intake: ${requestsSent} requests, ${acceptedEvents} events accepted and stored once, RSS ${rssMiB.toFixed(0)} MiB\n`
    );
    const lines = intake.output().split('\n');
    expect(lines.filter((line) => /unhandled|fatal|unexpected error/i.test(line))).toEqual([]);
    // The very process started before the fuzzing, not a restarted one, and it has not exited.
    expect(intake.pid).toBe(startedPid);
  });
});
