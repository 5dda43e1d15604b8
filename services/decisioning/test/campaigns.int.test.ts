import * as grpc from '@grpc/grpc-js';
import { jetstream } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compileFeatureSet, DEFAULT_FEATURES, FeatureWriter, type FeatureEvent } from '@dmp/features';
import type {
  CampaignServiceClient,
  DecideRequest,
  DecideResponse__Output,
  DecisioningServiceClient,
  GetCampaignResponse__Output,
  ListCampaignsResponse__Output,
  PutCampaignRequest,
  PutCampaignResponse__Output,
  PutContactPolicyResponse__Output,
  ExplainDecisionResponse__Output,
  SetCampaignStatusResponse__Output,
} from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import { encodeErasureRecord, ensureStream, erasureSubject, erasuresStream, subjectToken } from '@dmp/messaging';

import {
  addTenant,
  callUnary,
  clients,
  expectRejected,
  metricValue,
  publishModels,
  rpcError,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../../../test/harness';
import { capsKeys } from '../src/campaigns/keys';

let servers: Servers;
let decisioning: ServiceProcess;
let client: DecisioningServiceClient;
let admin: CampaignServiceClient;
let redis: Redis;
let n = 0;

const put = (request: Partial<PutCampaignRequest>): Promise<PutCampaignResponse__Output> =>
  callUnary<PutCampaignResponse__Output>((done) => admin.PutCampaign({ tenantId: 'telco', ...request }, done));
const putCampaign = async (doc: Record<string, unknown>): Promise<Record<string, unknown>> =>
  JSON.parse((await put({ campaignJson: JSON.stringify(doc) })).campaignJson) as Record<string, unknown>;
const decide = (request: Partial<DecideRequest>): Promise<DecideResponse__Output> =>
  callUnary<DecideResponse__Output>((done) =>
    client.Decide({ tenantId: 'telco', userId: 'alice', placement: 'app-banner', ...request }, done)
  );

/** Writes one event straight into the features, as the feature store would. */
async function apply(
  event: Omit<FeatureEvent, 'tenantId' | 'eventId' | 'occurredAtMs' | 'context' | 'identifiers'>
): Promise<void> {
  const target = { build: 'b1', features: compileFeatureSet(DEFAULT_FEATURES) };
  await new FeatureWriter(redis).apply(
    { tenantId: 'telco', eventId: `e${++n}`, occurredAtMs: Date.now(), context: {}, identifiers: [], ...event },
    target
  );
}

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'telco');
  redis = new Redis(servers.redis.url);
  redis.on('error', () => undefined); // the last test stops Redis; this connection just waits for it
  await publishModels(servers.nc);
  decisioning = await startService('decisioning', servers);
  client = clients.decisioning(decisioning.address);
  admin = clients.campaigns(decisioning.address);
});

afterAll(async () => {
  client?.close();
  admin?.close();
  await decisioning?.stop();
  await redis?.quit();
  await servers?.stop();
});

describe('campaigns: admin API and Decide', () => {
  it('stores validated, versioned campaigns, and refuses bad ones naming the field', async () => {
    const v1 = await putCampaign({ id: 'welcome', status: 'draft', value: 1 });
    expect(v1).toMatchObject({ id: 'welcome', version: 1 });
    const v2 = await putCampaign({ id: 'welcome', status: 'draft', value: 2 });
    expect(v2).toMatchObject({ version: 2, value: 2 });
    const got = await callUnary<GetCampaignResponse__Output>((done) =>
      admin.GetCampaign({ tenantId: 'telco', campaignId: 'welcome' }, done)
    );
    expect(JSON.parse(got.campaignJson)).toEqual(v2);
    const stale = await rpcError(put({ campaignJson: JSON.stringify({ id: 'welcome' }), expectedVersion: 1 }));
    expect(grpc.status[stale.code]).toBe('ABORTED');

    await expectRejected(put, [
      ['unknown tenant', { tenantId: 'nobody', campaignJson: '{"id":"x"}' }, 'NOT_FOUND', 'tenant_id'],
      ['not JSON', { campaignJson: '{' }, 'INVALID_ARGUMENT', 'campaign_json'],
      [
        'CEL that does not parse',
        { campaignJson: JSON.stringify({ id: 'x', targeting: 'profile["user.views_7d"] >' }) },
        'INVALID_ARGUMENT',
        'campaign_json.targeting',
      ],
      [
        'CEL naming an unknown variable',
        { campaignJson: JSON.stringify({ id: 'x', targeting: 'subscriber.age > 3' }) },
        'INVALID_ARGUMENT',
        'campaign_json.targeting',
      ],
      [
        'bad daypart',
        { campaignJson: JSON.stringify({ id: 'x', schedule: { dayparts: [{ from: '9am', to: '5pm' }] } }) },
        'INVALID_ARGUMENT',
        'campaign_json.schedule.dayparts[0].from',
      ],
    ]);
    const missing = await rpcError(
      callUnary((done) => admin.GetCampaign({ tenantId: 'telco', campaignId: 'nope' }, done))
    );
    expect(grpc.status[missing.code]).toBe('NOT_FOUND');
  });

  it('decides the best eligible offer, caps it exactly, then falls to the next', async () => {
    await putCampaign({ id: 'roaming-pack', status: 'active', value: 10, caps: [{ max: 2, per: 'day' }] });
    await putCampaign({ id: 'data-boost', status: 'active', value: 1 });
    const offers: string[] = [];
    for (let i = 0; i < 4; i++) offers.push((await decide({})).offer?.campaignId ?? 'none');
    expect(offers).toEqual(['roaming-pack', 'roaming-pack', 'data-boost', 'data-boost']);
    const first = await decide({ userId: 'bob' });
    expect(first).toMatchObject({
      offer: { campaignId: 'roaming-pack', campaignVersion: 1, creativeId: 'default', score: 10, propensity: 1 },
      noOfferReason: 'NO_OFFER_REASON_UNSPECIFIED',
      contextualOnly: false,
    });
    expect(first.decisionId).not.toBe('');

    // Paused: out of every decision at once.
    await callUnary<SetCampaignStatusResponse__Output>((done) =>
      admin.SetCampaignStatus({ tenantId: 'telco', campaignId: 'data-boost', status: 'paused' }, done)
    );
    expect(await decide({})).toMatchObject({ offer: null, noOfferReason: 'NO_OFFER_REASON_CAPPED' });
    const list = await callUnary<ListCampaignsResponse__Output>((done) =>
      admin.ListCampaigns({ tenantId: 'telco' }, done)
    );
    expect(list.campaignJson.map((c) => (JSON.parse(c) as { id: string }).id)).toEqual([
      'data-boost',
      'roaming-pack',
      'welcome',
    ]);
    await callUnary((done) =>
      admin.SetCampaignStatus({ tenantId: 'telco', campaignId: 'roaming-pack', status: 'archived' }, done)
    );
    expect(await decide({ userId: 'carol' })).toMatchObject({ noOfferReason: 'NO_OFFER_REASON_NONE_ELIGIBLE' });
  });

  it('targets on the profile, and uses the context only without ads-targeting consent', async () => {
    await putCampaign({
      id: 'heavy-viewers',
      status: 'active',
      value: 5,
      targeting: 'profile["user.views_7d"] >= 3.0',
    });
    await putCampaign({ id: 'app-users', status: 'active', value: 1, targeting: 'context.channel == "app"' });
    for (let i = 0; i < 3; i++) await apply({ type: 'view', subject: 'dave', itemIds: [`film-${i}`], properties: {} });
    expect((await decide({ userId: 'dave', context: { channel: 'app' } })).offer?.campaignId).toBe('heavy-viewers');
    expect((await decide({ userId: 'erin', context: { channel: 'app' } })).offer?.campaignId).toBe('app-users');

    await apply({
      type: 'consent',
      subject: 'dave',
      itemIds: [],
      properties: { purpose: 'ads_targeting', granted: false },
    });
    const withdrawn = await decide({ userId: 'dave', context: { channel: 'app' } });
    expect(withdrawn).toMatchObject({ contextualOnly: true, offer: { campaignId: 'app-users' } });
    const anonymous = await decide({ userId: '', context: { channel: 'app' } });
    expect(anonymous).toMatchObject({ contextualOnly: true, offer: { campaignId: 'app-users' } });
  });

  it('keeps to the tenant’s contact policy across campaigns, per channel', async () => {
    const policy = await callUnary<PutContactPolicyResponse__Output>((done) =>
      admin.PutContactPolicy(
        { tenantId: 'telco', policyJson: JSON.stringify({ channels: { sms: [{ max: 1, per: 'day' }] } }) },
        done
      )
    );
    expect(JSON.parse(policy.policyJson)).toEqual({ timeZone: 'UTC', channels: { sms: [{ max: 1, per: 'day' }] } });
    await putCampaign({ id: 'sms-a', status: 'active', value: 50, placements: ['inbox'], channels: ['sms', 'push'] });
    await putCampaign({ id: 'sms-b', status: 'active', value: 40, placements: ['inbox'], channels: ['sms', 'push'] });
    const first = await decide({ userId: 'gina', placement: 'inbox', channel: 'sms' });
    expect(first.offer?.campaignId).toBe('sms-a');
    // One SMS a day, whichever campaign: sms-b is refused too.
    expect(await decide({ userId: 'gina', placement: 'inbox', channel: 'sms' })).toMatchObject({
      offer: null,
      noOfferReason: 'NO_OFFER_REASON_CAPPED',
    });
    expect((await decide({ userId: 'gina', placement: 'inbox', channel: 'push' })).offer?.campaignId).toBe('sms-a');
    const bad = await rpcError(
      callUnary((done) =>
        admin.PutContactPolicy(
          { tenantId: 'telco', policyJson: '{"channels": {"sms": [{"max": 1, "per": "ever"}]}}' },
          done
        )
      )
    );
    expect(bad.details).toMatch(/^policy_json\.channels\.sms\[0\]\.per: /);

    // Why gina gets no SMS, and what a push would be: explained without spending anything.
    const explain = async (channel: string) => {
      const answer = await callUnary<ExplainDecisionResponse__Output>((done) =>
        admin.ExplainDecision({ tenantId: 'telco', userId: 'gina', placement: 'inbox', channel }, done)
      );
      return Object.fromEntries(answer.verdicts.map((v) => [v.campaignId, `${v.verdict}: ${v.detail}`]));
    };
    const sms = await explain('sms');
    expect(sms['sms-a']).toMatch(/^full: its contact policy is reached \(1\)/);
    expect(sms['sms-b']).toMatch(/^full: /);
    expect(sms['welcome']).toBe('excluded: it is draft');
    expect(sms['roaming-pack']).toBe('excluded: it is archived');
    expect(sms['heavy-viewers']).toBe('not_targeted: its targeting is false for this request');
    const push = await explain('push');
    expect(push['sms-a']).toMatch(/^would_win: /);
    expect(push['sms-b']).toBe('outranked: sms-a ranks first');
    // Explaining spent nothing: the push offer is still there.
    expect((await decide({ userId: 'gina', placement: 'inbox', channel: 'push' })).offer?.campaignId).toBe('sms-a');
  });

  it('ranks by the propensity model’s probability × value × lever', async () => {
    await putCampaign({
      id: 'modelled',
      status: 'active',
      value: 1_000,
      lever: 2,
      placements: ['modelled-slot'],
      propensityModel: 'demo-ranker',
    });
    const { offer } = await decide({ userId: 'hank', placement: 'modelled-slot' });
    expect(offer?.campaignId).toBe('modelled');
    expect(offer!.modelVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(offer!.propensity).toBeGreaterThan(0);
    expect(offer!.propensity).toBeLessThan(1);
    expect(offer!.score).toBeCloseTo(offer!.propensity * 1_000 * 2, 6);
  });

  it('answers bad requests with INVALID_ARGUMENT naming the field', async () => {
    await expectRejected(decide, [
      ['unknown tenant', { tenantId: 'nobody' }, 'NOT_FOUND', 'tenant_id'],
      ['no placement', { placement: '' }, 'INVALID_ARGUMENT', 'placement'],
      ['bad channel', { channel: 'Push Notifications' }, 'INVALID_ARGUMENT', 'channel'],
      ['bad user id', { userId: 'a b' }, 'INVALID_ARGUMENT', 'user_id'],
    ]);
  });

  it('erases what it keeps about a subscriber once the feature store records the erasure on ERASURES', async () => {
    await putCampaign({ id: 'erasable', status: 'active', value: 1_000, caps: [{ max: 1, per: 'day' }] });
    expect((await decide({ userId: 'erin' })).offer?.campaignId).toBe('erasable');
    expect((await decide({ userId: 'erin' })).offer?.campaignId).not.toBe('erasable'); // its cap is spent
    const erin = capsKeys.subscriber('telco', 'erin');
    expect(await redis.hget(erin, 'x:erasable')).toBe('treated');

    // The record as the feature store's DeleteProfile writes it: the profile's identifiers by token only.
    await ensureStream(servers.nc, erasuresStream(1));
    const record = { erasureId: 'e-erin', tenantId: 'telco', subjectTokens: [subjectToken('telco', 'erin')] };
    await jetstream(servers.nc).publish(erasureSubject('telco'), encodeErasureRecord(record));
    await waitFor('erin erased from the caps Redis', async () => (await redis.exists(erin)) === 0);
    expect(await redis.exists(capsKeys.subscriber('telco', 'alice'))).toBe(1); // no one else
    // Nothing of erin is left to cap her: a new profile starts from zero.
    expect((await decide({ userId: 'erin' })).offer?.campaignId).toBe('erasable');
  });

  it('gives no offer, rather than an uncapped one, while Redis is down', async () => {
    await putCampaign({ id: 'always', status: 'active', value: 100, caps: [{ max: 100, per: 'day' }] });
    await servers.redis.stop();
    try {
      const response = await decide({ userId: 'frank' });
      expect(response).toMatchObject({ offer: null, noOfferReason: 'NO_OFFER_REASON_CAPS_UNAVAILABLE' });
      expect(
        await metricValue(decisioning.metricsPort, 'decisioning_decisions_total', { outcome: 'caps_unavailable' })
      ).toBeGreaterThan(0);
    } finally {
      await servers.redis.start();
    }
  });
});
