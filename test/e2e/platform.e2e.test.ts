import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type {
  DecisioningServiceClient,
  Event,
  FeatureStoreServiceClient,
  GetFeaturesResponse__Output,
  IngestResponse__Output,
  IntakeServiceClient,
  RecommendResponse__Output,
} from '@dmp/grpc';
import { freePort, type ServiceProcess } from '@dmp/local-servers';

import {
  addTenant,
  publishModels,
  callUnary,
  clients,
  describeSymbol,
  listServices,
  startServers,
  startService,
  TEST_API_KEY,
  waitFor,
  type Servers,
} from '../harness';

let servers: Servers;
const services: Record<string, ServiceProcess> = {};
let intake: IntakeServiceClient;
let features: FeatureStoreServiceClient;
let decisioning: DecisioningServiceClient;
let n = 0;
let httpPort: number;

const view = (userId: string, itemId: string): Event => ({
  eventId: `e2e-${++n}`,
  type: 'view',
  identities: { userId },
  itemIds: [itemId],
});

async function ingest(events: Event[]): Promise<void> {
  const response = await callUnary<IngestResponse__Output>((done) => intake.Ingest({ tenantId: 'shop', events }, done));
  expect(response.results.map((r) => r.status)).toEqual(events.map(() => 'EVENT_STATUS_ACCEPTED'));
}

const recommend = (userId: string): Promise<RecommendResponse__Output> =>
  callUnary<RecommendResponse__Output>((done) => decisioning.Recommend({ tenantId: 'shop', userId, n: 5 }, done));

async function interactions(itemId: string): Promise<number> {
  const response = await callUnary<GetFeaturesResponse__Output>((done) =>
    features.GetFeatures(
      { tenantId: 'shop', entityType: 'ENTITY_TYPE_ITEM', entityIds: [itemId], featureNames: ['item.interactions'] },
      done
    )
  );
  return response.entities[0]?.values[0]?.numberValue ?? 0;
}

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  await publishModels(servers.nc);
  // Intake first: it declares the EVENTS stream the feature store consumes.
  httpPort = await freePort();
  for (const name of ['event-intake', 'feature-store', 'scoring', 'decisioning'] as const) {
    services[name] = await startService(name, servers, {
      OTEL_TRACES_EXPORTER: 'console',
      HTTP_PORT: String(httpPort),
    });
  }
  intake = clients.intake(services['event-intake']!.address);
  features = clients.featureStore(services['feature-store']!.address);
  decisioning = clients.decisioning(services['decisioning']!.address);
});

afterAll(async () => {
  for (const client of [intake, features, decisioning]) client?.close();
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await servers?.stop();
});

describe('the platform, end to end', () => {
  it('lists every service and health through server reflection, with the protos’ own field names', async () => {
    const expected: Record<string, string[]> = {
      'event-intake': ['dmp.intake.v1.IntakeService'],
      'feature-store': [
        'dmp.access.v1.AccessService',
        'dmp.features.v1.FeatureStoreService',
        'dmp.features.v1.ProfileService',
      ],
      scoring: ['dmp.scoring.v1.ScoringService'],
      decisioning: ['dmp.decisioning.v1.CampaignService', 'dmp.decisioning.v1.DecisioningService'],
    };
    for (const [name, apis] of Object.entries(expected)) {
      expect(await listServices(services[name]!.address)).toEqual([...apis, 'grpc.health.v1.Health'].sort());
    }
    // What grpcurl needs to build requests: declared field names, proper map entries, resolvable imports.
    const [decisioning] = await describeSymbol(services['decisioning']!.address, 'dmp.decisioning.v1.RecommendRequest');
    const request = decisioning!.messageType.find((m) => m.name === 'RecommendRequest')!;
    expect(request.field.map((f) => f.name)).toContain('tenant_id');
    const files = await describeSymbol(services['event-intake']!.address, 'dmp.events.v1.Event');
    expect(files.map((f) => f.name).sort()).toEqual(['dmp/events/v1/event.proto', 'google/protobuf/timestamp.proto']);
    const event = files
      .find((f) => f.name === 'dmp/events/v1/event.proto')!
      .messageType.find((m) => m.name === 'Event')!;
    expect(event.field.find((f) => f.name === 'occurred_at')!.typeName).toBe('.google.protobuf.Timestamp');
    expect(event.nestedType.find((t) => t.name === 'PropertiesEntry')?.options?.mapEntry).toBe(true);
  });

  it('ingest → features appear → Recommend reflects them', async () => {
    // Twenty viewers of the TV went on to the soundbar; the mug is merely popular.
    const events: Event[] = [];
    for (let u = 0; u < 20; u++) events.push(view(`viewer-${u}`, 'tv'), view(`viewer-${u}`, 'soundbar'));
    for (let u = 0; u < 40; u++) events.push(view(`shopper-${u}`, 'mug'));
    events.push(view('alice', 'tv'));
    await ingest(events);
    await waitFor('the stream applied to features', async () => (await interactions('tv')) === 21);

    const first = await recommend('alice');
    expect(first.personalized).toBe(true);
    expect(first.items[0]).toMatchObject({
      itemId: 'soundbar',
      reasons: expect.arrayContaining([
        { code: 'REASON_CODE_CO_OCCURRENCE', sourceItemId: 'tv', category: '' },
      ]) as unknown,
    });
    expect(first.items.map((i) => i.itemId)).not.toContain('tv');

    // Alice looks at the soundbar: the next answer no longer offers it.
    await ingest([view('alice', 'soundbar')]);
    await waitFor('the soundbar leaves alice’s recommendations', async () => {
      const items = (await recommend('alice')).items;
      return items.length > 0 && !items.some((i) => i.itemId === 'soundbar');
    });
  });

  it('never recommends an item the user used long before their last 50 ("seen" means seen)', async () => {
    // The lamp is the most popular item of all, and dora looked at it first, then at 60 other things.
    const events: Event[] = [];
    for (let u = 0; u < 80; u++) events.push(view(`lamp-fan-${u}`, 'lamp'), view(`lamp-fan-${u}`, 'candle'));
    events.push(view('dora', 'lamp'));
    for (let i = 0; i < 60; i++) events.push(view('dora', `trinket-${i}`));
    await ingest(events);
    await waitFor('dora’s history applied', async () => (await interactions('trinket-59')) === 1);
    // First the lamp must be on offer at all (the popular list is cached for 2 s): a newcomer gets it.
    await waitFor('the lamp offered to a newcomer', async () =>
      (await recommend('nobody-yet')).items.some((i) => i.itemId === 'lamp')
    );
    const answer = await callUnary<RecommendResponse__Output>((done) =>
      decisioning.Recommend({ tenantId: 'shop', userId: 'dora', n: 100 }, done)
    );
    expect(answer.items.map((i) => i.itemId)).toContain('candle');
    expect(answer.items.map((i) => i.itemId)).not.toContain('lamp');
  });

  it('uses nothing personal once a user withdraws consent to personalization, and again once granted', async () => {
    const consent = (granted: boolean): Event => ({
      eventId: `e2e-${++n}`,
      type: 'consent',
      identities: { userId: 'carol' },
      properties: { purpose: { stringValue: 'personalization' }, granted: { boolValue: granted } },
    });
    await ingest([view('carol', 'tv')]);
    await waitFor('carol’s history in use', async () => (await recommend('carol')).personalized);
    await ingest([consent(false)]);
    await waitFor('the withdrawal in force', async () => {
      const r = await recommend('carol');
      return r.fallback === 'FALLBACK_REASON_NO_CONSENT' && !r.personalized;
    });
    const withdrawn = await recommend('carol');
    const nonPersonal = ['REASON_CODE_POPULAR', 'REASON_CODE_TRENDING', 'REASON_CODE_NEW_ARRIVAL'];
    expect(withdrawn.items).not.toEqual([]);
    for (const item of withdrawn.items) {
      expect(item.reasons, item.itemId).not.toEqual([]);
      for (const reason of item.reasons) expect(nonPersonal, item.itemId).toContain(reason.code);
    }
    await ingest([consent(true)]);
    await waitFor('personal again', async () => (await recommend('carol')).personalized);
  });

  it('never recommends an item the catalog says is out of stock, and brings it back when restocked', async () => {
    const stock = (units: number): Event => ({
      eventId: `e2e-${++n}`,
      type: 'item',
      itemIds: ['mug'],
      properties: { stock: { numberValue: units }, category: { stringValue: 'kitchen' } },
    });
    expect((await recommend('bob')).items.map((i) => i.itemId)).toContain('mug');
    await ingest([stock(0)]);
    // Within the item cache's TTL (2 s by default), then never.
    await waitFor('the mug out of bob’s recommendations', async () => {
      const items = (await recommend('bob')).items;
      return items.length > 0 && items.every((i) => i.itemId !== 'mug');
    });
    await ingest([stock(12)]);
    await waitFor('the mug back', async () => (await recommend('bob')).items.some((i) => i.itemId === 'mug'));
  });

  it('carries the trace across the bus: the feature store’s span continues the Ingest call’s trace', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const metadata = new grpc.Metadata();
    metadata.set('traceparent', `00-${traceId}-b7ad6b7169203331-01`);
    await callUnary<IngestResponse__Output>((done) =>
      intake.Ingest({ tenantId: 'shop', events: [view('traced', 'tv')] }, metadata, done)
    );
    await waitFor('the consumer span', () => spans('feature-store').some((s) => s.trace_id === traceId));
    await waitFor('the Ingest span', () => spans('event-intake').some((s) => s.trace_id === traceId));
    const ingestSpan = spans('event-intake').find((s) => s.trace_id === traceId && s.kind === 'SERVER')!;
    const applySpan = spans('feature-store').find((s) => s.trace_id === traceId)!;
    expect(ingestSpan.name).toBe('dmp.intake.v1.IntakeService/Ingest');
    expect(applySpan).toMatchObject({
      name: 'feature-store apply',
      kind: 'CONSUMER',
      parent_span_id: ingestSpan.span_id,
    });
  });

  it('carries the trace from the HTTP door across the bus as well', async () => {
    const traceId = '5f0c8a4e1d2b3c4d5e6f708192a3b4c5';
    const response = await fetch(`http://127.0.0.1:${httpPort}/v1/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${TEST_API_KEY}`,
        traceparent: `00-${traceId}-1a2b3c4d5e6f7081-01`,
      },
      body: JSON.stringify({
        tenant_id: 'shop',
        events: [{ event_id: 'traced-http', type: 'view', identities: { user_id: 'web' }, item_ids: ['tv'] }],
      }),
    });
    expect(response.status).toBe(200);
    // Each side writes its span when the span ends: wait for both.
    await waitFor('the consumer span', () => spans('feature-store').some((s) => s.trace_id === traceId));
    await waitFor('the HTTP span', () => spans('event-intake').some((s) => s.trace_id === traceId));
    const httpSpan = spans('event-intake').find((s) => s.trace_id === traceId)!;
    expect(httpSpan).toMatchObject({ name: 'POST /v1/events', kind: 'SERVER', parent_span_id: '1a2b3c4d5e6f7081' });
    expect(spans('feature-store').find((s) => s.trace_id === traceId)!.parent_span_id).toBe(httpSpan.span_id);
  });
});

interface SpanLine {
  name: string;
  kind: string;
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
}

/** The spans a service wrote as JSON lines (OTEL_TRACES_EXPORTER=console). */
function spans(service: string): SpanLine[] {
  return services[service]!.output()
    .split('\n')
    .filter((line) => line.includes('"msg":"span"'))
    .map((line) => JSON.parse(line) as SpanLine);
}
