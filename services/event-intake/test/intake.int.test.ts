import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type {
  CatalogItem,
  Event,
  EventType,
  IngestResponse__Output,
  IngestStreamResponse__Output,
  IntakeServiceClient,
  ListEventTypesResponse__Output,
  PutEventTypeResponse__Output,
  UpsertItemsResponse__Output,
} from '@dmp/grpc';
import { mintApiKey, storeApiKey } from '@dmp/access';
import { freePort, type ServiceProcess } from '@dmp/local-servers';
import { decodeEvent, subjectToken } from '@dmp/messaging';

import { IdentityHasher, parseHmacKeys } from '../src/identities';

import {
  addTenant,
  callUnary,
  checkHealth,
  clients,
  expectRejected,
  metricValue,
  readStream,
  rpcError,
  startServers,
  startService,
  startTcpProxy,
  TEST_HMAC_KEYS,
  TEST_API_KEY,
  waitFor,
  waitForJetStream,
  type Servers,
} from '../../../test/harness';

const hasher = new IdentityHasher(parseHmacKeys(TEST_HMAC_KEYS)[0]!);

const view = (eventId: string, userId = 'u1', itemIds = ['sku-1']): Event => ({
  eventId,
  type: 'view',
  identities: { userId },
  itemIds,
});

const ingest = (client: IntakeServiceClient, tenantId: string, events: Event[]): Promise<IngestResponse__Output> =>
  callUnary<IngestResponse__Output>((done) => client.Ingest({ tenantId, events }, done));

interface FailedRecord {
  tenant_id: string;
  event_id: string;
  door: string;
  field: string;
  rule: string;
  reason: string;
  payload: Record<string, unknown>;
}

async function failedRecords(nc: Servers['nc'], tenantId: string): Promise<FailedRecord[]> {
  return (await readStream(nc, 'FAILED_EVENTS'))
    .filter((m) => m.subject.startsWith(`failed.v1.${tenantId}.`))
    .map((m) => JSON.parse(Buffer.from(m.data).toString('utf8')) as FailedRecord);
}

describe('event-intake against real NATS JetStream', () => {
  let servers: Servers;
  let intake: ServiceProcess;
  let client: IntakeServiceClient;
  let http: string;

  interface HttpAnswer {
    results: { eventId?: string; status?: string; field?: string; rule?: string; reason?: string }[];
    error?: { code: string; message: string };
  }

  const post = async (
    body: unknown,
    headers: Record<string, string> = {}
  ): Promise<{ status: number; json: HttpAnswer }> => {
    const response = await fetch(`${http}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as HttpAnswer };
  };

  beforeAll(async () => {
    servers = await startServers();
    await addTenant(servers.nc, 'shop');
    const httpPort = await freePort();
    http = `http://127.0.0.1:${httpPort}`;
    intake = await startService('event-intake', servers, {
      PUBLISH_TIMEOUT_MS: '300',
      HTTP_PORT: String(httpPort),
      DEFAULT_PHONE_REGION: 'RU',
    });
    client = clients.intake(intake.address);
  });

  afterAll(async () => {
    client?.close();
    await intake?.stop();
    await servers?.stop();
  });

  it('stores accepted events in the EVENTS stream, with tenant:event_id as the dedupe id', async () => {
    const response = await ingest(client, 'shop', [view('a-1', 'alice', ['sku-7', 'sku-8']), view('a-2', 'bob')]);
    expect(response.results.map((r) => r.status)).toEqual(['EVENT_STATUS_ACCEPTED', 'EVENT_STATUS_ACCEPTED']);

    const stored = (await readStream(servers.nc, 'EVENTS')).filter((m) => m.msgId?.startsWith('shop:a-'));
    expect(stored.map((m) => m.msgId)).toEqual(['shop:a-1', 'shop:a-2']);
    // Subjects filter by tenant and type, and by a keyed token of the subject (for per-subscriber purge); the
    // stream adds the partition, a hash of tenant and token.
    expect(stored[0]!.subject).toMatch(
      new RegExp(`^events\\.v1\\.shop\\.view\\.${subjectToken('shop', 'alice')}\\.\\d+$`)
    );
    const event = decodeEvent(stored[0]!.data);
    expect(event).toMatchObject({ eventId: 'a-1', tenantId: 'shop', type: 'view', itemIds: ['sku-7', 'sku-8'] });
    expect(event.identities?.userId).toBe('alice');
    expect(Number(event.receivedAt?.seconds)).toBeGreaterThan(0);
    expect(event.occurredAt).toEqual(event.receivedAt);
  });

  it('takes catalog items through UpsertItems as item events: typed, checked per item, stored once', async () => {
    const upsert = (items: CatalogItem[]): Promise<UpsertItemsResponse__Output> =>
      callUnary<UpsertItemsResponse__Output>((done) => client.UpsertItems({ tenantId: 'shop', items }, done));
    const updatedAt = { seconds: '1795000000', nanos: 0 };
    const items: CatalogItem[] = [
      { itemId: 'phone-9', category: 'electronics/phones', price: 199.5, available: true, stock: 3, updatedAt },
      { itemId: 'ep-1', seriesId: 'dark', season: 1, episode: 1, durationS: 3120, updatedAt },
      { itemId: 'bad', stock: -1, updatedAt },
    ];
    const first = await upsert(items);
    expect(first.results.map((r) => [r.eventId, r.status, r.field])).toEqual([
      ['phone-9', 'EVENT_STATUS_ACCEPTED', ''],
      ['ep-1', 'EVENT_STATUS_ACCEPTED', ''],
      ['bad', 'EVENT_STATUS_REJECTED', 'items[2].stock'],
    ]);
    // The same item at the same version again: nothing new.
    expect((await upsert(items.slice(0, 1))).results[0]!.status).toBe('EVENT_STATUS_DUPLICATE');
    const stored = (await readStream(servers.nc, 'EVENTS'))
      .map((m) => ({ subject: m.subject, event: decodeEvent(m.data) }))
      .filter((m) => m.event.type === 'item');
    expect(stored).toHaveLength(2);
    expect(stored[0]!.subject.startsWith('events.v1.shop.item.')).toBe(true);
    expect(stored[0]!.event).toMatchObject({
      itemIds: ['phone-9'],
      occurredAt: { seconds: '1795000000' },
      properties: {
        category: { stringValue: 'electronics/phones' },
        price: { numberValue: 199.5 },
        available: { boolValue: true },
        stock: { numberValue: 3 },
      },
    });
    const empty = await rpcError(upsert([]));
    expect([grpc.status[empty.code], empty.details]).toEqual([
      'INVALID_ARGUMENT',
      'items: must hold at least one item',
    ]);
  });

  it('reports a repeat within the dedupe window as DUPLICATE and stores the event once', async () => {
    const first = await ingest(client, 'shop', [view('d-1')]);
    const again = await ingest(client, 'shop', [view('d-1'), view('d-2')]);
    expect(first.results[0]!.status).toBe('EVENT_STATUS_ACCEPTED');
    expect(again.results.map((r) => r.status)).toEqual(['EVENT_STATUS_DUPLICATE', 'EVENT_STATUS_ACCEPTED']);
    const stored = (await readStream(servers.nc, 'EVENTS')).filter((m) => m.msgId?.startsWith('shop:d-'));
    expect(stored.map((m) => m.msgId)).toEqual(['shop:d-1', 'shop:d-2']);
  });

  it('judges each event on its own, names field and rule, and files every rejected one in FAILED_EVENTS', async () => {
    const response = await ingest(client, 'shop', [
      view('m-1'),
      { ...view(''), eventId: '' },
      { ...view('m-3'), type: 'teleport' },
      { ...view('m-4'), identities: {} },
      { ...view('m-5'), itemIds: ['ok', 'has space'] },
      { ...view('m-6'), occurredAt: { seconds: String(Math.floor(Date.now() / 1000) + 7 * 86_400), nanos: 0 } },
      {
        ...view('m-7'),
        // Each part within its limit, the whole over 64 KiB.
        properties: Object.fromEntries(
          Array.from({ length: 20 }, (_, k) => [`note_${k}`, { stringValue: 'x'.repeat(4000) }])
        ),
      },
      { ...view('m-8'), itemIds: [] },
      { ...view('m-9'), identities: { userId: 'u9', msisdn: 'call me maybe' } },
      view('m-10'),
    ]);
    expect(response.results.map((r) => [r.status, r.field, r.rule])).toEqual([
      ['EVENT_STATUS_ACCEPTED', '', ''],
      ['EVENT_STATUS_REJECTED', 'events[1].event_id', 'required'],
      ['EVENT_STATUS_REJECTED', 'events[2].type', 'unknown_type'],
      ['EVENT_STATUS_REJECTED', 'events[3].identities', 'required'],
      ['EVENT_STATUS_REJECTED', 'events[4].item_ids[1]', 'pattern'],
      ['EVENT_STATUS_REJECTED', 'events[5].occurred_at', 'range'],
      ['EVENT_STATUS_REJECTED', 'events[6]', 'max_bytes'],
      ['EVENT_STATUS_REJECTED', 'events[7].item_ids', 'required'],
      ['EVENT_STATUS_REJECTED', 'events[8].identities.msisdn', 'e164'],
      ['EVENT_STATUS_ACCEPTED', '', ''],
    ]);
    expect(response.results[8]!.reason).not.toContain('call me');
    const stored = (await readStream(servers.nc, 'EVENTS')).filter((m) => m.msgId?.startsWith('shop:m-'));
    expect(stored.map((m) => m.msgId)).toEqual(['shop:m-1', 'shop:m-10']);

    const failed = await failedRecords(servers.nc, 'shop');
    const teleport = failed.find((f) => f.event_id === 'm-3')!;
    expect(teleport).toMatchObject({ tenant_id: 'shop', door: 'grpc', field: 'events[2].type', rule: 'unknown_type' });
    expect(teleport.payload).toMatchObject({ eventId: 'm-3', type: 'teleport', itemIds: ['sku-1'] });
    expect(
      failed
        .filter((f) => f.event_id === '' || f.event_id.startsWith('m-'))
        .map((f) => f.event_id)
        .sort()
    ).toEqual(['', 'm-3', 'm-4', 'm-5', 'm-6', 'm-7', 'm-8', 'm-9'].sort());
    // Even a rejected event's personal data is keyed before it is stored.
    const badPhone = failed.find((f) => f.event_id === 'm-9')!;
    expect(JSON.stringify(badPhone)).not.toContain('call me maybe');
    // Sending the same bad event again files it once.
    await ingest(client, 'shop', [{ ...view('m-3'), type: 'teleport' }]);
    expect((await failedRecords(servers.nc, 'shop')).filter((f) => f.event_id === 'm-3')).toHaveLength(1);
  });

  it('checks properties against the type’s JSON Schema', async () => {
    const base = (eventId: string, type: string, properties: Event['properties'], itemIds = ['sku-1']): Event => ({
      eventId,
      type,
      identities: { userId: 'u1' },
      itemIds,
      properties,
    });
    const response = await ingest(client, 'shop', [
      base('s-1', 'purchase', { revenue: { numberValue: 19.9 }, currency: { stringValue: 'RUB' } }),
      base('s-2', 'purchase', { revenue: { numberValue: -5 } }),
      base('s-3', 'purchase', { currency: { stringValue: 'rubles' } }),
      base('s-4', 'search', {}, []),
      base('s-5', 'delivery_status', { delivery_id: { stringValue: 'd1' }, status: { stringValue: 'lost' } }, []),
      base('s-6', 'roaming_start', { country: { stringValue: 'TR' } }, []),
      base('s-7', 'add_to_cart', { quantity: { numberValue: 1.5 } }),
      base('s-8', 'view', { price: { stringValue: 'free' } }),
    ]);
    expect(response.results.map((r) => [r.status, r.field, r.rule])).toEqual([
      ['EVENT_STATUS_ACCEPTED', '', ''],
      ['EVENT_STATUS_REJECTED', 'events[1].properties.revenue', 'schema.minimum'],
      ['EVENT_STATUS_REJECTED', 'events[2].properties.currency', 'schema.pattern'],
      ['EVENT_STATUS_REJECTED', 'events[3].properties.query', 'schema.required'],
      ['EVENT_STATUS_REJECTED', 'events[4].properties.status', 'schema.enum'],
      ['EVENT_STATUS_ACCEPTED', '', ''],
      ['EVENT_STATUS_REJECTED', 'events[6].properties.quantity', 'schema.type'],
      ['EVENT_STATUS_REJECTED', 'events[7].properties.price', 'schema.type'],
    ]);
  });

  it('lets a tenant register its own event types, validates events against them, and lists them', async () => {
    const put = (eventType: Partial<EventType>): Promise<PutEventTypeResponse__Output> =>
      callUnary((done) => client.PutEventType({ eventType: { tenantId: 'shop', ...eventType } }, done));
    const schema = { type: 'object', properties: { points: { type: 'integer', minimum: 1 } }, required: ['points'] };
    const stored = await put({
      name: 'points_redeemed',
      description: 'Loyalty points spent',
      propertiesSchemaJson: JSON.stringify(schema),
    });
    expect(stored.eventType).toMatchObject({ name: 'points_redeemed', builtIn: false, tenantId: 'shop' });

    const response = await ingest(client, 'shop', [
      {
        eventId: 'p-1',
        type: 'points_redeemed',
        identities: { userId: 'u1' },
        properties: { points: { numberValue: 50 } },
      },
      { eventId: 'p-2', type: 'points_redeemed', identities: { userId: 'u1' } },
    ]);
    expect(response.results.map((r) => [r.status, r.field, r.rule])).toEqual([
      ['EVENT_STATUS_ACCEPTED', '', ''],
      ['EVENT_STATUS_REJECTED', 'events[1].properties.points', 'schema.required'],
    ]);
    // Other tenants do not have it.
    await addTenant(servers.nc, 'other');
    const points: Event = {
      eventId: 'p-3',
      type: 'points_redeemed',
      identities: { userId: 'u1' },
      properties: { points: { numberValue: 5 } },
    };
    await waitFor(
      'the other tenant known to intake',
      async () => (await ingest(client, 'other', [points]).catch(() => undefined)) !== undefined
    );
    expect((await ingest(client, 'other', [points])).results[0]!.rule).toBe('unknown_type');

    const listed = await callUnary<ListEventTypesResponse__Output>((done) =>
      client.ListEventTypes({ tenantId: 'shop' }, done)
    );
    const names = listed.eventTypes.map((t) => t.name);
    expect(names).toContain('view');
    expect(names).toContain('roaming_start');
    expect(names.at(-1)).toBe('points_redeemed');
    expect(listed.eventTypes.find((t) => t.name === 'purchase')).toMatchObject({ builtIn: true, requiresItems: true });

    await expectRejected<Partial<EventType>>(put, [
      ['built-in name', { name: 'view' }, 'INVALID_ARGUMENT', 'event_type.name'],
      ['bad name', { name: 'Points Redeemed' }, 'INVALID_ARGUMENT', 'event_type.name'],
      ['not JSON', { name: 'x_y', propertiesSchemaJson: '{' }, 'INVALID_ARGUMENT', 'event_type.properties_schema_json'],
      [
        'not an object schema',
        { name: 'x_y', propertiesSchemaJson: '{"type":"string"}' },
        'INVALID_ARGUMENT',
        'event_type.properties_schema_json',
      ],
      [
        'unknown keyword',
        { name: 'x_y', propertiesSchemaJson: '{"type":"object","propertiez":{}}' },
        'INVALID_ARGUMENT',
        'event_type.properties_schema_json',
      ],
      ['unknown tenant', { name: 'x_y', tenantId: 'nobody' }, 'NOT_FOUND', 'event_type.tenant_id'],
      [
        'exponential pattern',
        {
          name: 'x_y',
          propertiesSchemaJson: '{"type":"object","properties":{"a":{"type":"string","pattern":"(?=x)y"}}}',
        },
        'INVALID_ARGUMENT',
        'event_type.properties_schema_json',
      ],
    ]);
    await expectRejected<string>(
      (tenantId) => callUnary((done) => client.ListEventTypes({ tenantId }, done)),
      [
        ['unknown tenant', 'nobody', 'NOT_FOUND', 'tenant_id'],
        ['malformed tenant', 'No Such', 'INVALID_ARGUMENT', 'tenant_id'],
      ]
    );
  });

  it('keeps phone numbers and emails inside intake: normalized, keyed, never stored raw', async () => {
    const people: Event[] = [
      {
        eventId: 'i-1',
        type: 'balance_low',
        identities: { msisdn: '+7 (912) 345-67-89' },
        properties: { balance: { numberValue: 3 } },
      },
      {
        eventId: 'i-2',
        type: 'balance_low',
        identities: { msisdn: '8 912 345 67 89' },
        properties: { balance: { numberValue: 2 } },
      },
      {
        eventId: 'i-3',
        type: 'view',
        identities: { email: ' Anna.Petrova@Example.COM ', userId: 'anna' },
        itemIds: ['sku-1'],
      },
    ];
    expect((await ingest(client, 'shop', people)).results.map((r) => r.status)).toEqual([
      'EVENT_STATUS_ACCEPTED',
      'EVENT_STATUS_ACCEPTED',
      'EVENT_STATUS_ACCEPTED',
    ]);
    const stored = (await readStream(servers.nc, 'EVENTS')).filter((m) => m.msgId?.startsWith('shop:i-'));
    const [a, b, c] = stored.map((m) => decodeEvent(m.data).identities!);
    const msisdnHash = hasher.hash('shop', 'msisdn', '+79123456789');
    expect(a).toMatchObject({ msisdn: '', msisdnHash, hashKeyId: 'test' });
    expect(b!.msisdnHash).toBe(msisdnHash); // the same subscriber, however the number was written
    expect(c).toMatchObject({
      email: '',
      emailHash: hasher.hash('shop', 'email', 'anna.petrova@example.com'),
      userId: 'anna',
    });
    expect(stored[0]!.subject).toMatch(
      new RegExp(`^events\\.v1\\.shop\\.balance_low\\.${subjectToken('shop', `msisdn:${msisdnHash}`)}\\.\\d+$`)
    );
    const everything = Buffer.concat(stored.map((m) => Buffer.from(m.data))).toString('latin1');
    for (const raw of ['9123456789', '912) 345', 'Anna.Petrova', 'anna.petrova@example.com'])
      expect(everything).not.toContain(raw);
  });

  it('answers bad requests with the right status and a message naming the field, and stays up', async () => {
    await expectRejected<[string, Event[]]>(
      ([tenantId, events]) => ingest(client, tenantId, events),
      [
        ['empty batch', ['shop', []], 'INVALID_ARGUMENT', 'events'],
        ['missing tenant', ['', [view('x')]], 'INVALID_ARGUMENT', 'tenant_id'],
        ['malformed tenant', ['Bad Tenant', [view('x')]], 'INVALID_ARGUMENT', 'tenant_id'],
        ['unknown tenant', ['nobody', [view('x')]], 'NOT_FOUND', 'tenant_id'],
        [
          'batch over 1000',
          ['shop', Array.from({ length: 1001 }, (_, i) => view(`big-${i}`))],
          'INVALID_ARGUMENT',
          'events',
        ],
        [
          'payload over 4 MiB',
          ['shop', [{ ...view('huge'), properties: { blob: { stringValue: 'x'.repeat(5 * 1024 * 1024) } } }]],
          'RESOURCE_EXHAUSTED',
          '',
        ],
      ]
    );
    expect(await checkHealth(intake.address)).toBe('SERVING');
    expect((await ingest(client, 'shop', [view('after-bad-input')])).results[0]!.status).toBe('EVENT_STATUS_ACCEPTED');
  });

  it('gives the HTTP door the same answers as gRPC, from the same validation', async () => {
    const batch = (prefix: string): Event[] => [
      view(`${prefix}-1`),
      { ...view(`${prefix}-2`), type: 'teleport' },
      {
        eventId: `${prefix}-3`,
        type: 'purchase',
        identities: { userId: 'u1' },
        itemIds: ['a'],
        properties: { revenue: { numberValue: -1 } },
      },
      { ...view(`${prefix}-4`), identities: { msisdn: 'nope' } },
    ];
    const viaGrpc = await ingest(client, 'shop', batch('g'));
    // The same events in JSON as a web SDK writes them: snake_case, plain property values, RFC 3339 times.
    const viaHttp = await post({
      tenant_id: 'shop',
      events: [
        {
          event_id: 'h-1',
          type: 'view',
          identities: { user_id: 'u1' },
          item_ids: ['sku-1'],
          occurred_at: new Date().toISOString(),
        },
        { event_id: 'h-2', type: 'teleport', identities: { user_id: 'u1' }, item_ids: ['sku-1'] },
        { eventId: 'h-3', type: 'purchase', identities: { userId: 'u1' }, itemIds: ['a'], properties: { revenue: -1 } },
        { event_id: 'h-4', type: 'view', identities: { msisdn: 'nope' }, item_ids: ['sku-1'] },
      ],
    });
    expect(viaHttp.status).toBe(200);
    const shape = (results: { status?: unknown; field?: unknown; rule?: unknown; reason?: unknown }[]): unknown[] =>
      results.map((r) => [r.status, r.field ?? '', r.rule ?? '', r.reason ?? '']);
    expect(shape(viaHttp.json.results)).toEqual(shape(viaGrpc.results));
    expect((await failedRecords(servers.nc, 'shop')).some((f) => f.event_id === 'h-2' && f.door === 'http')).toBe(true);

    // Wrongly shaped events are rejected one by one, not the whole request.
    const shapes = await post({
      tenant_id: 'shop',
      events: [42, { event_id: 'h-5', type: 'view', item_ids: 'sku-1', identities: { user_id: 'u' } }],
    });
    expect(shapes.status).toBe(200);
    expect(shapes.json.results.map((r) => [r.field, r.rule])).toEqual([
      ['events[0]', 'type'],
      ['events[1].item_ids', 'type'],
    ]);
    // A hostile, deeply nested event is rejected like any other, not a crash (a 500).
    const deep = `{"tenant_id":"shop","events":[{"event_id":"deep","properties":{"p":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}`;
    const nested = await post(deep);
    expect(nested.status).toBe(200);
    expect(nested.json.results[0]).toMatchObject({ eventId: 'deep', status: 'EVENT_STATUS_REJECTED', rule: 'type' });

    // Request-level errors map to HTTP statuses with a JSON error naming the field.
    expect(await post({ tenant_id: 'shop', events: [] })).toMatchObject({
      status: 400,
      json: { error: { code: 'INVALID_ARGUMENT', message: 'events: must hold at least one event' } },
    });
    expect(await post({ tenant_id: 'nobody', events: [{}] })).toMatchObject({
      status: 404,
      json: { error: { code: 'NOT_FOUND' } },
    });
    expect(await post('{not json')).toMatchObject({
      status: 400,
      json: { error: { message: 'body: is not valid JSON' } },
    });
    expect((await post({ tenant_id: 'shop', events: [] }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post({ tenant_id: 'shop', events: [{ x: 'y'.repeat(5 * 1024 * 1024) }] })).status).toBe(413);

    // Browsers: a publishable key of the shop, bound to its origin, at its own rate.
    const browserKey = mintApiKey({
      tenantId: 'shop',
      kind: 'publishable',
      scopes: ['ingest'],
      name: 'shop web',
      createdBy: 'test',
      allowedOrigins: ['https://shop.example'],
      eventsPerSecond: 1,
    });
    await storeApiKey(servers.nc, browserKey.record);
    const fromBrowser = (origin: string | undefined, eventId: string) =>
      post(
        {
          tenant_id: 'shop',
          events: [{ event_id: eventId, type: 'view', identities: { user_id: 'u1' }, item_ids: ['i1'] }],
        },
        { authorization: `Bearer ${browserKey.token}`, ...(origin !== undefined && { origin }) }
      );
    await waitFor(
      'the publishable key on intake',
      async () => (await fromBrowser('https://shop.example', 'pk-1')).status === 200
    );
    expect(await fromBrowser('https://evil.example', 'pk-2')).toMatchObject({
      status: 403,
      json: {
        error: {
          code: 'PERMISSION_DENIED',
          message: `publishable key ${browserKey.record.id} is not accepted from https://evil.example`,
        },
      },
    });
    expect((await fromBrowser(undefined, 'pk-3')).status).toBe(403);
    // Its own rate (1 event/s, a burst of one full batch of 1000): a second 600 in a row is over it.
    const many = Array.from({ length: 600 }, (_, i) => ({
      event_id: `pk-many-${i}`,
      type: 'view',
      identities: { user_id: 'u1' },
      item_ids: ['i1'],
    }));
    const asBrowser = () =>
      post(
        { tenant_id: 'shop', events: many },
        { authorization: `Bearer ${browserKey.token}`, origin: 'https://shop.example' }
      );
    expect((await asBrowser()).status).toBe(200);
    const burst = await asBrowser();
    expect(burst).toMatchObject({ status: 429, json: { error: { code: 'RESOURCE_EXHAUSTED' } } });
    // Without a key, or with a made-up one: 401.
    expect(await post({ tenant_id: 'shop', events: [] }, { authorization: '' })).toMatchObject({
      status: 401,
      json: { error: { code: 'UNAUTHENTICATED' } },
    });
    expect(
      (await post({ tenant_id: 'shop', events: [] }, { authorization: 'Bearer dmp_sk_aaaaaaaaaaaa_' + '0'.repeat(48) }))
        .status
    ).toBe(401);

    // CORS: the publishable key's origin may call from a browser; others get no grant.
    const preflight = await fetch(`${http}/v1/events`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const stranger = await fetch(`${http}/v1/events`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${http}/readyz`)).status).toBe(200);
  });

  it('refuses a tenant over its rate with RESOURCE_EXHAUSTED and retry advice, on both doors', async () => {
    // 10 events/s, with a burst of one full batch: after 1000 events the next 500 take 50 s to earn.
    await addTenant(servers.nc, 'slow', 10);
    const batch = (prefix: string, n: number): Event[] => Array.from({ length: n }, (_, i) => view(`${prefix}-${i}`));
    await waitFor(
      'the slow tenant known to intake',
      async () => (await ingest(client, 'slow', batch('r0', 1)).catch(() => undefined)) !== undefined
    );
    await ingest(client, 'slow', batch('r1', 999)); // the bucket holds one second's worth: 1000 events
    // The callback runs before the 'status' event: both are in hand when the promise resolves.
    const [error, metadata] = await new Promise<[grpc.ServiceError | null, grpc.Metadata]>((resolve) => {
      let refused: grpc.ServiceError | null = null;
      const call = client.Ingest({ tenantId: 'slow', events: batch('r2', 500) }, (e) => (refused = e));
      call.on('status', (status) => resolve([refused, status.metadata]));
    });
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(error?.details).toMatch(/^tenant_id: rate limit of 10 events\/s exceeded/);
    expect(Number(metadata.get('retry-after-ms')[0])).toBeGreaterThan(0);
    const overHttp = await fetch(`${http}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
      body: JSON.stringify({
        tenant_id: 'slow',
        events: batch('r3', 500).map((e) => ({
          event_id: e.eventId,
          type: 'view',
          identities: { user_id: 'u1' },
          item_ids: ['sku-1'],
        })),
      }),
    });
    expect(overHttp.status).toBe(429);
    expect(Number(overHttp.headers.get('retry-after'))).toBeGreaterThan(0);
    // Nothing of a refused batch was stored.
    const stored = (await readStream(servers.nc, 'EVENTS')).filter(
      (m) => m.msgId?.startsWith('slow:r2-') || m.msgId?.startsWith('slow:r3-')
    );
    expect(stored).toHaveLength(0);
  });

  it('takes a stream of batches, slowing the sender to the tenant’s rate instead of refusing it', async () => {
    await addTenant(servers.nc, 'streamer', 2000);
    await waitFor(
      'the tenant known to intake',
      async () => (await ingest(client, 'streamer', [view('st-0')]).catch(() => undefined)) !== undefined
    );
    const response = await new Promise<IngestStreamResponse__Output>((resolve, reject) => {
      const call = client.IngestStream({ deadline: Date.now() + 30_000 }, (error, result) =>
        error ? reject(error) : resolve(result!)
      );
      for (let b = 0; b < 10; b++) {
        const events = Array.from({ length: 500 }, (_, i) => view(`st-${b}-${i}`));
        events[0] = { ...events[0]!, type: 'teleport' };
        call.write({ tenantId: 'streamer', events });
      }
      call.end();
    });
    expect(response).toMatchObject({ acceptedCount: '4990', duplicateCount: '0', rejectedCount: '10' });
    expect(response.rejected.map((r) => r.rule)).toEqual(Array(10).fill('unknown_type'));
    // Batches run concurrently, so their rejections are listed in the order they finished.
    expect(response.rejected.map((r) => r.field).sort()).toEqual(
      Array.from({ length: 10 }, (_, b) => `messages[${b}].events[0].type`).sort()
    );
    expect(
      await metricValue(intake.metricsPort, 'intake_events_total', {
        door: 'grpc_stream',
        status: 'EVENT_STATUS_ACCEPTED',
      })
    ).toBe(4990);
  });

  it('is NOT_SERVING while NATS is down, answers UNAVAILABLE, and recovers when NATS returns', async () => {
    await servers.nats.stop();
    await waitFor('intake NOT_SERVING', async () => (await checkHealth(intake.address)) === 'NOT_SERVING');
    const error = await rpcError(ingest(client, 'shop', [view('while-down')]));
    expect(grpc.status[error.code]).toBe('UNAVAILABLE');
    expect(
      (
        await post({
          tenant_id: 'shop',
          events: [{ event_id: 'while-down-http', type: 'view', identities: { user_id: 'u' }, item_ids: ['a'] }],
        })
      ).status
    ).toBe(503);

    await servers.nats.start();
    await waitFor('intake SERVING again', async () => (await checkHealth(intake.address)) === 'SERVING');
    await waitForJetStream(servers.nc);
    // The retry after an UNAVAILABLE is safe: the event is stored exactly once.
    const retried = await ingest(client, 'shop', [view('while-down')]);
    expect(['EVENT_STATUS_ACCEPTED', 'EVENT_STATUS_DUPLICATE']).toContain(retried.results[0]!.status);
    const stored = (await readStream(servers.nc, 'EVENTS')).filter((m) => m.msgId === 'shop:while-down');
    expect(stored).toHaveLength(1);
    expect((await readStream(servers.nc, 'EVENTS')).filter((m) => m.msgId === 'shop:while-down-http')).toHaveLength(0);
  });
});

describe('event-intake and an ambiguous publish', () => {
  it('retries a publish whose acknowledgement was lost with the same id, and stores the event once', async () => {
    const servers = await startServers();
    const proxy = await startTcpProxy(servers.nats.port);
    try {
      await addTenant(servers.nc, 'shop');
      const intake = await startService('event-intake', servers, {
        NATS_URL: `nats://127.0.0.1:${proxy.port}`,
        PUBLISH_TIMEOUT_MS: '300',
      });
      const client = clients.intake(intake.address);
      // JetStream stores the event, but its acknowledgement is held back past intake's publish timeout.
      proxy.holdReplies();
      const pending = callUnary<IngestResponse__Output>((done) =>
        client.Ingest({ tenantId: 'shop', events: [view('amb-1')] }, { deadline: Date.now() + 10_000 }, done)
      );
      await waitFor('the event stored while its ack is held', async () =>
        (await readStream(servers.nc, 'EVENTS')).some((m) => m.msgId === 'shop:amb-1')
      );
      await waitFor(
        'intake retrying',
        async () => (await metricValue(intake.metricsPort, 'intake_publish_retries_total')) >= 1
      );
      proxy.releaseReplies();
      const response = await pending;
      expect(response.results[0]!.status).toBe('EVENT_STATUS_ACCEPTED');
      expect((await readStream(servers.nc, 'EVENTS')).filter((m) => m.msgId === 'shop:amb-1')).toHaveLength(1);
      client.close();
      await intake.stop();
    } finally {
      await proxy.close();
      await servers.stop();
    }
  });
});

describe('event-intake graceful shutdown', () => {
  it('finishes in-flight calls on SIGTERM and loses no accepted event', async () => {
    const servers = await startServers();
    try {
      await addTenant(servers.nc, 'shop');
      const intake = await startService('event-intake', servers);
      const client = clients.intake(intake.address);
      const accepted = new Set<string>();
      const outcomes = new Map<string, number>();
      let sigtermAt = 0;
      let finishedAfterSigterm = 0;
      let batchNo = 0;

      const worker = async (w: number): Promise<void> => {
        for (;;) {
          const events = Array.from({ length: 50 }, (_, i) => view(`w${w}-b${batchNo}-${i}`, `user-${i}`));
          batchNo++;
          const startedAt = Date.now();
          try {
            const response = await ingest(client, 'shop', events);
            response.results.forEach((r) => r.status === 'EVENT_STATUS_ACCEPTED' && accepted.add(r.eventId));
            outcomes.set('OK', (outcomes.get('OK') ?? 0) + 1);
            if (sigtermAt && startedAt < sigtermAt) finishedAfterSigterm++;
          } catch (error) {
            const code = grpc.status[(error as grpc.ServiceError).code];
            outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
            return; // the server is gone: this worker stops
          }
        }
      };
      const workers = Array.from({ length: 8 }, (_, w) => worker(w));
      await waitFor('some load', () => accepted.size >= 2_000);
      sigtermAt = Date.now();
      const exitCode = await intake.stop('SIGTERM');
      await Promise.all(workers);
      client.close();

      expect(exitCode).toBe(0);
      expect(finishedAfterSigterm).toBeGreaterThan(0); // calls in flight at SIGTERM completed
      expect([...outcomes.keys()].sort()).toEqual(['OK', 'UNAVAILABLE']); // no CANCELLED or INTERNAL
      const stored = new Set((await readStream(servers.nc, 'EVENTS')).map((m) => decodeEvent(m.data).eventId));
      const lost = [...accepted].filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
    } finally {
      await servers.stop();
    }
  });
});

describe('event-intake observability', () => {
  it('continues the caller’s trace in a server span and counts every call by method and status', async () => {
    const servers = await startServers();
    try {
      await addTenant(servers.nc, 'shop');
      const intake = await startService('event-intake', servers, { OTEL_TRACES_EXPORTER: 'console' });
      const client = clients.intake(intake.address);
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parentSpanId = '00f067aa0ba902b7';
      const metadata = new grpc.Metadata();
      metadata.set('traceparent', `00-${traceId}-${parentSpanId}-01`);
      await callUnary<IngestResponse__Output>((done) =>
        client.Ingest({ tenantId: 'shop', events: [view('traced-1')] }, metadata, done)
      );
      await rpcError(ingest(client, 'shop', []));

      const spans = (): { name: string; trace_id: string; parent_span_id?: string; kind: string }[] =>
        intake
          .output()
          .split('\n')
          .filter((line) => line.includes('"msg":"span"'))
          .map((line) => JSON.parse(line) as { name: string; trace_id: string; parent_span_id?: string; kind: string });
      await waitFor('the Ingest span', () => spans().some((s) => s.trace_id === traceId));
      expect(spans().find((s) => s.trace_id === traceId)).toMatchObject({
        name: 'dmp.intake.v1.IntakeService/Ingest',
        kind: 'SERVER',
        parent_span_id: parentSpanId,
      });

      const method = { grpc_service: 'dmp.intake.v1.IntakeService', grpc_method: 'Ingest' };
      expect(await metricValue(intake.metricsPort, 'grpc_server_handled_total', { ...method, grpc_code: 'OK' })).toBe(
        1
      );
      expect(
        await metricValue(intake.metricsPort, 'grpc_server_handled_total', { ...method, grpc_code: 'INVALID_ARGUMENT' })
      ).toBe(1);
      expect(await metricValue(intake.metricsPort, 'grpc_server_handling_seconds_count', method)).toBe(2);
      expect(await metricValue(intake.metricsPort, 'intake_events_total', { status: 'EVENT_STATUS_ACCEPTED' })).toBe(1);
      client.close();
      await intake.stop();
    } finally {
      await servers.stop();
    }
  });
});
