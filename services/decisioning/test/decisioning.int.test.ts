import * as grpc from '@grpc/grpc-js';
import { Kvm } from '@nats-io/kv';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  compileFeatureSet,
  DEFAULT_FEATURES,
  decodeServedFeatures,
  featureLogSubject,
  FeatureWriter,
  writeSimilarItems,
  type FeatureEvent,
} from '@dmp/features';
import type {
  DecisioningServiceClient,
  GetRecommendRulesResponse__Output,
  PutRecommendRulesRequest,
  PutRecommendRulesResponse__Output,
  RecommendRequest,
  NextContentResponse__Output,
  RecommendResponse__Output,
  ServedFeatures__Output,
} from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import { decodeShadowScores, Model, ModelRegistry } from '@dmp/scorer';

import {
  addTenant,
  callUnary,
  checkHealth,
  clients,
  expectRejected,
  MODEL_PATH,
  publishModels,
  readStream,
  rpcError,
  startServers,
  startService,
  startTcpProxy,
  TREES_MODEL_PATH,
  waitFor,
  type Servers,
  type TcpProxy,
} from '../../../test/harness';

let servers: Servers;
let decisioning: ServiceProcess;
let client: DecisioningServiceClient;
let redis: Redis;
let model: Model;
let redisProxy: TcpProxy;

const putRules = (request: Partial<PutRecommendRulesRequest>): Promise<PutRecommendRulesResponse__Output> =>
  callUnary<PutRecommendRulesResponse__Output>((done) =>
    client.PutRecommendRules({ tenantId: 'shop', ...request }, done)
  );

const recommend = (request: Partial<RecommendRequest>): Promise<RecommendResponse__Output> =>
  callUnary<RecommendResponse__Output>((done) =>
    client.Recommend({ tenantId: 'shop', userId: 'alice', n: 5, ...request }, done)
  );

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  redis = new Redis(servers.redis.url);
  // A small shop written through the feature store's own writer: the "phones" crowd also buys cases
  // and chargers; everyone views the bestseller.
  const writer = new FeatureWriter(redis);
  const target = { build: 'b1', features: compileFeatureSet(DEFAULT_FEATURES) };
  let n = 0;
  const view = (userId: string, itemId: string): Promise<unknown> =>
    writer.apply(
      {
        tenantId: 'shop',
        eventId: `e${++n}`,
        type: 'view',
        subject: userId,
        identifiers: [],
        itemIds: [itemId],
        occurredAtMs: Date.now(),
        properties: {},
        context: {},
      },
      target
    );
  for (let u = 0; u < 30; u++) {
    await view(`fan-${u}`, 'phone');
    await view(`fan-${u}`, u % 3 === 0 ? 'charger' : 'case');
    await view(`fan-${u}`, 'bestseller');
  }
  for (let u = 0; u < 60; u++) await view(`other-${u}`, 'bestseller');
  for (let u = 0; u < 10; u++) await view(`other-${u}`, 'socks');
  await view('alice', 'phone');

  model = await Model.fromFile(MODEL_PATH);
  await publishModels(servers.nc);
  // Redis through a proxy that can hold its replies back: a slow feature store, on demand.
  redisProxy = await startTcpProxy(servers.redis.port);
  decisioning = await startService('decisioning', servers, {
    REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
  });
  client = clients.decisioning(decisioning.address);
});

afterAll(async () => {
  client?.close();
  await decisioning?.stop();
  await redisProxy?.close();
  await redis?.quit();
  await model?.release();
  await servers?.stop();
});

describe('decisioning.Recommend', () => {
  it('recommends what co-occurs with the user’s items, never what the user already has, ranked by the model', async () => {
    const response = await recommend({});
    const ids = response.items.map((i) => i.itemId);
    expect(ids).not.toContain('phone');
    // Items bought by the phone crowd rank above socks, which are only popular.
    expect(ids.slice(0, 3).sort()).toEqual(['bestseller', 'case', 'charger']);
    expect(ids).toContain('socks');
    const caseItem = response.items.find((i) => i.itemId === 'case')!;
    expect(caseItem.reasons).toContainEqual({ code: 'REASON_CODE_CO_OCCURRENCE', sourceItemId: 'phone', category: '' });
    expect(response.personalized).toBe(true);
    expect(response.modelVersion).toBe(model.version);
    expect(response.decisionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const scores = response.items.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('logs the exact feature vectors of each decision to FEATURE_LOG, keyed by decision id', async () => {
    const response = await recommend({ n: 4 });
    let logged: ServedFeatures__Output | undefined;
    await waitFor('the decision logged', async () => {
      const messages = await readStream(servers.nc, 'FEATURE_LOG');
      const found = messages.find((m) => m.msgId === response.decisionId);
      logged = found && decodeServedFeatures(found.data);
      return found !== undefined && found.subject === featureLogSubject('shop', 'alice');
    });
    expect(logged).toMatchObject({
      decisionId: response.decisionId,
      tenantId: 'shop',
      userId: 'alice',
      decisionKind: 'recommend',
      modelVersion: response.modelVersion,
    });
    // Every candidate signal is logged, also those the model in use does not take (the next one may).
    const names = logged!.featureNames;
    expect(names).toEqual(expect.arrayContaining(model.card.input.features.map((f) => f.name)));
    expect(names).toEqual(expect.arrayContaining(['similarity', 'trending', 'category_affinity', 'freshness']));
    expect(logged!.items.map((i) => [i.itemId, i.position])).toEqual(response.items.map((item, i) => [item.itemId, i]));
    // The logged rows are what the model scored: scoring its columns again gives the scores returned.
    const rows = new Float32Array(
      logged!.items.flatMap((i) => model.card.input.features.map((f) => i.values[names.indexOf(f.name)]!))
    );
    const rescored = await model.score(rows);
    expect(response.items).toHaveLength(4);
    response.items.forEach((item, i) => expect(rescored[i]).toBeCloseTo(item.score, 5));
  });

  it('follows the model registry: a shadow version is scored and logged under the decision id, a promotion swaps', async () => {
    const registry = await ModelRegistry.open(servers.nc);
    await registry.publishFile(TREES_MODEL_PATH, { name: 'demo-ranker', version: 'trees-1' });
    await registry.setShadow('demo-ranker', 'trees-1', true);
    let response: RecommendResponse__Output | undefined;
    await waitFor('shadow scores of a decision', async () => {
      response = await recommend({});
      const records = (await readStream(servers.nc, 'SCORE_LOG')).map((m) => decodeShadowScores(m.data));
      return records.some((r) => r.requestId === response!.decisionId && r.shadowVersion === 'trees-1');
    });
    expect(response!.modelVersion).toBe(model.version);
    await registry.promote('demo-ranker', 'trees-1');
    await waitFor('the promoted version ranking', async () => (await recommend({})).modelVersion === 'trees-1');
    await registry.rollback('demo-ranker');
    await waitFor('the rollback', async () => (await recommend({})).modelVersion === model.version);
  });

  it('gives every decision its own id', async () => {
    const [a, b] = await Promise.all([recommend({}), recommend({})]);
    expect(a.decisionId).not.toBe(b.decisionId);
  });

  it('honours n, exclusions and the current item', async () => {
    expect((await recommend({ n: 2 })).items).toHaveLength(2);
    expect((await recommend({ n: 0 })).items.length).toBeGreaterThan(2); // 0 means the default (10)
    const excluded = await recommend({ excludeItemIds: ['case'] });
    expect(excluded.items).not.toEqual([]);
    expect(excluded.items.map((i) => i.itemId)).not.toContain('case');
    const onCasePage = await recommend({ userId: 'stranger', context: { currentItemId: 'case' } });
    const ids = onCasePage.items.map((i) => i.itemId);
    expect(ids).not.toContain('case');
    const phone = onCasePage.items.find((i) => i.itemId === 'phone');
    expect(phone?.reasons).toContainEqual({ code: 'REASON_CODE_CO_OCCURRENCE', sourceItemId: 'case', category: '' });
  });

  it('answers an unknown user with popular items', async () => {
    const response = await recommend({ userId: 'never-seen' });
    expect(response.personalized).toBe(false);
    expect(response.items[0]!.itemId).toBe('bestseller');
    // Nothing personal: popular, and what is hot now.
    for (const item of response.items) {
      expect(item.reasons.map((r) => r.code)).toContain('REASON_CODE_POPULAR');
      for (const reason of item.reasons) expect(['REASON_CODE_POPULAR', 'REASON_CODE_TRENDING']).toContain(reason.code);
    }
  });

  it('answers bad requests with the right status naming the field, and stays up', async () => {
    await expectRejected<Partial<RecommendRequest>>(recommend, [
      ['unknown tenant', { tenantId: 'nobody' }, 'NOT_FOUND', 'tenant_id'],
      ['missing tenant', { tenantId: '' }, 'INVALID_ARGUMENT', 'tenant_id'],
      ['missing user', { userId: '' }, 'INVALID_ARGUMENT', 'user_id'],
      ['user with spaces', { userId: 'a b' }, 'INVALID_ARGUMENT', 'user_id'],
      ['negative n', { n: -1 }, 'INVALID_ARGUMENT', 'n'],
      ['absurd n', { n: 1_000_000 }, 'INVALID_ARGUMENT', 'n'],
      [
        'too many exclusions',
        { excludeItemIds: Array.from({ length: 1001 }, (_, i) => `x${i}`) },
        'INVALID_ARGUMENT',
        'exclude_item_ids',
      ],
      ['bad current item', { context: { currentItemId: 'tab\there' } }, 'INVALID_ARGUMENT', 'context.current_item_id'],
      ['request over 4 MiB', { surface: 'x'.repeat(5 * 1024 * 1024) }, 'RESOURCE_EXHAUSTED', ''],
    ]);
    expect(await checkHealth(decisioning.address)).toBe('SERVING');
  });

  it('NextContent returns the next episode of the series in progress, never what the viewer finished', async () => {
    const writer = new FeatureWriter(redis);
    const target = { build: 'b1', features: compileFeatureSet(DEFAULT_FEATURES) };
    let n = 0;
    const apply = (
      event: Omit<FeatureEvent, 'tenantId' | 'eventId' | 'context' | 'properties' | 'identifiers'> & {
        properties?: FeatureEvent['properties'];
      }
    ): Promise<unknown> =>
      writer.apply(
        { tenantId: 'shop', eventId: `nc-${++n}`, context: {}, properties: {}, identifiers: [], ...event },
        target
      );
    const episodes = ['dark-s1e1', 'dark-s1e2', 'dark-s1e3', 'dark-s2e1'];
    for (const id of episodes) {
      const [, season, episode] = /s(\d)e(\d)/.exec(id)!.map(Number);
      await apply({
        type: 'item',
        subject: `item:${id}`,
        itemIds: [id],
        occurredAtMs: Date.now(),
        properties: { series_id: 'dark', season: season!, episode: episode! },
      });
    }
    // Viewers who finished episode 1 went on to a documentary.
    for (let v = 0; v < 5; v++) {
      await apply({ type: 'play_start', subject: `viewer-${v}`, itemIds: ['dark-s1e1'], occurredAtMs: Date.now() });
      await apply({ type: 'play_start', subject: `viewer-${v}`, itemIds: ['docu'], occurredAtMs: Date.now() });
    }
    for (const type of ['play_start', 'play_complete'] as const) {
      await apply({ type, subject: 'binger', itemIds: ['dark-s1e1'], occurredAtMs: Date.now() });
    }
    await apply({ type: 'play_start', subject: 'binger', itemIds: ['dark-s1e2'], occurredAtMs: Date.now() });

    const next = await callUnary<NextContentResponse__Output>((done) =>
      client.NextContent({ tenantId: 'shop', userId: 'binger', currentItemId: 'dark-s1e2', n: 5 }, done)
    );
    expect(next.items[0]).toMatchObject({
      itemId: 'dark-s1e3',
      reasons: [{ code: 'REASON_CODE_SERIES_CONTINUATION', sourceItemId: 'dark-s1e2', category: '' }],
    });
    const ids = next.items.map((i) => i.itemId);
    expect(ids).not.toContain('dark-s1e1'); // finished
    expect(ids).not.toContain('dark-s1e2'); // playing now
    expect(next.items.find((i) => i.itemId === 'docu')?.reasons).toContainEqual({
      code: 'REASON_CODE_WATCHED_NEXT',
      sourceItemId: 'dark-s1e1',
      category: '',
    });
    expect(next.decisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(next.fallback).toBe('FALLBACK_REASON_UNSPECIFIED');
    const bad = await rpcError(
      callUnary((done) => client.NextContent({ tenantId: 'shop', userId: '', currentItemId: 'x' }, done))
    );
    expect([grpc.status[bad.code], bad.details]).toEqual(['INVALID_ARGUMENT', 'user_id: is required']);
  });

  it('follows the tenant’s rules as they change: a blocked category disappears from every answer', async () => {
    const writer = new FeatureWriter(redis);
    const target = { build: 'b1', features: compileFeatureSet(DEFAULT_FEATURES) };
    await writer.apply(
      {
        tenantId: 'shop',
        eventId: 'rules-cat-1',
        type: 'item',
        subject: 'item:case',
        identifiers: [],
        itemIds: ['case'],
        occurredAtMs: Date.now(),
        properties: { category: 'accessories/cases' },
        context: {},
      },
      target
    );
    const rules = await new Kvm(servers.nc).create('dmp_recommend_rules');
    await rules.put('shop', JSON.stringify({ blockedCategories: ['accessories'] }));
    // Within the item cache's TTL (2 s) the catalog's category is seen; the rules apply at once.
    await waitFor('the case gone', async () => {
      const items = (await recommend({})).items;
      return items.length > 0 && !items.some((i) => i.itemId === 'case');
    });
    await rules.put('shop', JSON.stringify({ blockedCategories: 'not a list' })); // refused: the last good rules hold
    const held = (await recommend({})).items.map((i) => i.itemId);
    expect(held).not.toEqual([]);
    expect(held).not.toContain('case');
    await rules.put('shop', JSON.stringify({}));
    await waitFor('the case back', async () => (await recommend({})).items.some((i) => i.itemId === 'case'));
  });

  it('never recommends what the user bought, on any surface; seen items only where the surface wants them', async () => {
    const writer = new FeatureWriter(redis);
    const target = { build: 'b1', features: compileFeatureSet(DEFAULT_FEATURES) };
    const event = (eventId: string, type: string, itemId: string): FeatureEvent => ({
      tenantId: 'shop',
      eventId,
      type,
      subject: 'buyer',
      identifiers: [],
      itemIds: [itemId],
      occurredAtMs: Date.now(),
      properties: {},
      context: {},
    });
    await writer.apply(event('buyer-1', 'view', 'bestseller'), target);
    await writer.apply(event('buyer-2', 'purchase', 'socks'), target);
    // Tablets were never asked about: no cached (empty) similarity list stands in the way.
    await writer.apply(event('buyer-3', 'view', 'tablet'), target);
    await writeSimilarItems(redis, 'shop', [{ itemId: 'tablet', neighbours: [{ itemId: 'tablet-case', score: 0.8 }] }]);

    const home = await recommend({ userId: 'buyer', n: 20 });
    const ids = home.items.map((i) => i.itemId);
    expect(ids).not.toContain('socks');
    expect(ids).not.toContain('bestseller');
    expect(home.items.find((i) => i.itemId === 'tablet-case')?.reasons).toContainEqual(
      expect.objectContaining({ code: 'REASON_CODE_SIMILAR', sourceItemId: 'tablet' })
    );

    // Rules through the RPC: validated, stored, and followed by this replica when it answers.
    const stored = await putRules({ rulesJson: JSON.stringify({ surfaces: { viewed: { exclude: 'bought' } } }) });
    expect(JSON.parse(stored.rulesJson)).toEqual({
      blockedCategories: [],
      maxPerCategory: 0,
      surfaces: { viewed: { exclude: 'bought' } },
    });
    const viewed = await recommend({ userId: 'buyer', n: 20, surface: 'viewed' });
    expect(viewed.items.map((i) => i.itemId)).toContain('bestseller');
    expect(viewed.items.map((i) => i.itemId)).not.toContain('socks');
    const got = await callUnary<GetRecommendRulesResponse__Output>((done) =>
      client.GetRecommendRules({ tenantId: 'shop' }, done)
    );
    expect(got.rulesJson).toBe(stored.rulesJson);
    await expectRejected(putRules, [
      ['unknown tenant', { tenantId: 'nobody', rulesJson: '{}' }, 'NOT_FOUND', 'tenant_id'],
      ['not JSON', { rulesJson: '{' }, 'INVALID_ARGUMENT', 'rules_json'],
      [
        'bad surface rule',
        { rulesJson: '{"surfaces": {"viewed": {"exclude": "everything"}}}' },
        'INVALID_ARGUMENT',
        'rules_json.surfaces.viewed.exclude',
      ],
      ['unknown rule', { rulesJson: '{"maxPerBrand": 2}' }, 'INVALID_ARGUMENT', 'rules_json.maxPerBrand'],
    ]);
    await putRules({ rulesJson: '{}' });
  });

  it('answers within the caller’s deadline from the last known popular items when features are slow', async () => {
    const full = await recommend({ n: 3 });
    expect(full.fallback).toBe('FALLBACK_REASON_UNSPECIFIED');
    redisProxy.holdReplies();
    try {
      const started = Date.now();
      const response = await callUnary<RecommendResponse__Output>((done) =>
        client.Recommend({ tenantId: 'shop', userId: 'alice', n: 3 }, { deadline: Date.now() + 150 }, done)
      );
      expect(Date.now() - started).toBeLessThan(150);
      expect(response).toMatchObject({ fallback: 'FALLBACK_REASON_DEADLINE', personalized: false, modelVersion: '' });
      expect(response.items.map((i) => i.itemId)).toEqual(['bestseller', 'phone', 'case']);
      expect(response.items.every((i) => i.reasons[0]!.code === 'REASON_CODE_POPULAR')).toBe(true);
    } finally {
      redisProxy.releaseReplies();
    }
  });

  it('is NOT_SERVING while Redis is down, still answers (non-personal, flagged), and recovers', async () => {
    await servers.redis.stop();
    await waitFor('NOT_SERVING', async () => (await checkHealth(decisioning.address)) === 'NOT_SERVING');
    const response = await recommend({ excludeItemIds: ['bestseller'] });
    expect(response).toMatchObject({ fallback: 'FALLBACK_REASON_FEATURES_UNAVAILABLE', personalized: false });
    expect(response.items.length).toBeGreaterThan(0);
    expect(response.items.map((i) => i.itemId)).not.toContain('bestseller');
    await servers.redis.start();
    await waitFor('SERVING', async () => (await checkHealth(decisioning.address)) === 'SERVING');
    // Redis came back empty; item features may still come from the in-process cache for a moment.
    await expect(recommend({ userId: 'never-seen' })).resolves.toHaveProperty('decisionId');
  });
});
