import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compileFeatureSet, DEFAULT_FEATURES, FeatureWriter, identityKeys } from '@dmp/features';
import type {
  CampaignServiceClient,
  DecideResponse__Output,
  Event,
  GetCampaignStatsResponse__Output,
  Identities,
  PutCampaignResponse__Output,
} from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import {
  decodeDelivery,
  deliveryKey,
  encodeEvent,
  ensureStream,
  eventMsgId,
  eventsStream,
  eventSubject,
  partitionedBacklog,
  TRIGGERS_DURABLE,
} from '@dmp/messaging';

import { decodeDecisionRecord } from '../src/decision-log';
import {
  addTenant,
  callUnary,
  clients,
  publishModels,
  readStream,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../../../test/harness';

let servers: Servers;
let decisioning: ServiceProcess;
let admin: CampaignServiceClient;
let n = 0;

const seconds = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: 0 });

/** An event as intake stores it; `msgId` overrides the stream's dedupe id (a replay after the window). */
async function publish(
  type: string,
  userId: string | Identities,
  properties: Record<string, string>,
  eventId = `ev-${++n}`,
  msgId?: string
) {
  const identities = typeof userId === 'string' ? { userId } : userId;
  const event: Event = {
    eventId,
    tenantId: 'telco',
    type,
    identities,
    properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, { stringValue: v }])),
    occurredAt: seconds(Date.now()),
    receivedAt: seconds(Date.now()),
  };
  await jetstream(servers.nc).publish(eventSubject('telco', type, `t-${eventId}`), encodeEvent(event), {
    msgID: msgId ?? eventMsgId('telco', eventId),
  });
  return eventId;
}

const deliveries = async () => (await readStream(servers.nc, 'DELIVERIES')).map((m) => decodeDelivery(m.data));

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'telco');
  await ensureStream(servers.nc, eventsStream(1)); // intake's, in production
  await publishModels(servers.nc);
  decisioning = await startService('decisioning', servers);
  admin = clients.campaigns(decisioning.address);
  await callUnary<PutCampaignResponse__Output>((done) =>
    admin.PutCampaign(
      {
        tenantId: 'telco',
        campaignJson: JSON.stringify({
          id: 'roaming-pack',
          status: 'active',
          channels: ['sms'],
          caps: [{ max: 1, per: 'day' }],
          trigger: { event: 'roaming_start', condition: 'event.country != "RU"' },
        }),
      },
      done
    )
  );
});

afterAll(async () => {
  admin?.close();
  await decisioning?.stop();
  await servers?.stop();
});

describe('trigger campaigns', () => {
  it('fires once per trigger event, on its condition, within the cap, even for a replayed event', async () => {
    const abroad = await publish('roaming_start', 'alice', { country: 'TR' });
    await publish('roaming_start', 'bob', { country: 'RU' }); // condition false
    await publish('page_view', 'carol', {}); // no campaign triggers on it
    await waitFor('alice’s delivery', async () => (await deliveries()).length === 1);
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({
      idempotencyKey: deliveryKey('telco', abroad, 'roaming-pack'),
      tenantId: 'telco',
      subjectId: 'alice',
      campaignId: 'roaming-pack',
      channel: 'sms',
      triggerEventId: abroad,
      triggerEventType: 'roaming_start',
    });

    // The same event again, past the EVENTS stream's dedupe (another message id): decided the same way,
    // so the cap is not spent again and the delivery is deduplicated by its key.
    await publish('roaming_start', 'alice', { country: 'TR' }, abroad, `replay-${abroad}`);
    // A new roaming start of alice's: over her cap of 1 a day.
    await publish('roaming_start', 'alice', { country: 'DE' });
    const marker = await publish('roaming_start', 'dave', { country: 'FI' });
    await waitFor('dave’s delivery', async () => (await deliveries()).some((d) => d.triggerEventId === marker));
    // Partitions are decided concurrently: wait until alice's two are acked too, so no delivery of hers is still to come.
    await waitFor('every trigger event decided', async () => {
      const backlog = await partitionedBacklog(servers.nc, TRIGGERS_DURABLE);
      return backlog?.pending === 0 && backlog.inHand === 0;
    });
    const all = await deliveries();
    expect(all.map((d) => d.subjectId).sort()).toEqual(['alice', 'dave']);
  });

  it('contacts no one who withdrew consent for the channel, and decides for the profile an identifier belongs to', async () => {
    const redis = new Redis(servers.redis.url);
    try {
      // What the feature store keeps: ines's word on SMS, and the cookie a logged-in frank was seen with.
      await new FeatureWriter(redis).apply(
        {
          tenantId: 'telco',
          eventId: 'ines-says-no',
          type: 'consent',
          subject: 'ines',
          identifiers: [],
          itemIds: [],
          occurredAtMs: Date.now(),
          properties: { purpose: 'contact_sms', granted: false },
          context: {},
        },
        { build: 'b1', features: compileFeatureSet(DEFAULT_FEATURES) }
      );
      await redis.set(identityKeys.profileOf('telco', 'anon:frank-phone-browser'), 'frank');
    } finally {
      redis.disconnect();
    }
    const ines = await publish('roaming_start', 'ines', { country: 'TR' });
    const frank = await publish('roaming_start', { anonymousId: 'frank-phone-browser' }, { country: 'TR' });
    await waitFor('frank’s delivery', async () => (await deliveries()).some((d) => d.triggerEventId === frank));
    expect((await deliveries()).find((d) => d.triggerEventId === frank)?.subjectId).toBe('frank');
    // Decided (without an offer) before looking for a delivery, so its absence is not just a decision still to come.
    await waitFor('ines’s decision logged', async () =>
      (await readStream(servers.nc, 'DECISION_LOG'))
        .map((m) => decodeDecisionRecord(m.data))
        .some((r) => r.subjectId === 'ines' && r.campaignId === '' && r.noOffer !== '')
    );
    expect((await deliveries()).some((d) => d.triggerEventId === ines)).toBe(false);
  });

  it('reports decisions, impressions, clicks and conversions per creative, and lift over the holdout', async () => {
    await callUnary<PutCampaignResponse__Output>((done) =>
      admin.PutCampaign(
        {
          tenantId: 'telco',
          campaignJson: JSON.stringify({ id: 'promo', status: 'active', placements: ['home'], holdout: 0.5 }),
        },
        done
      )
    );
    const decisioningClient = clients.decisioning(decisioning.address);
    const treated: string[] = [];
    const heldOut: string[] = [];
    for (let i = 0; i < 200; i++) {
      const answer = await callUnary<DecideResponse__Output>((done) =>
        decisioningClient.Decide({ tenantId: 'telco', userId: `s${i}`, placement: 'home' }, done)
      );
      if (answer.offer) treated.push(`s${i}`);
      else if (answer.noOfferReason === 'NO_OFFER_REASON_HOLDOUT') heldOut.push(`s${i}`);
    }
    decisioningClient.close();
    expect(treated.length + heldOut.length).toBe(200);
    // Every decision is in the decision log, holdouts as if decided.
    await waitFor('200 decisions logged', async () => (await readStream(servers.nc, 'DECISION_LOG')).length >= 200);
    const logged = (await readStream(servers.nc, 'DECISION_LOG'))
      .map((m) => decodeDecisionRecord(m.data))
      .filter((r) => r['campaignId'] === 'promo' && r['kind'] === 'decide');
    expect(logged.filter((r) => r['holdout'] === true).map((r) => r['subjectId'])).toEqual(heldOut);
    expect(logged.filter((r) => r['holdout'] === false && r['creativeId'] === 'default')).toHaveLength(treated.length);
    expect(heldOut.length).toBeGreaterThan(60);

    const shown = { campaign_id: 'promo', creative_id: 'default' };
    for (const s of treated) await publish('impression', s, shown);
    const once = await publish('impression', treated[0]!, shown);
    await publish('impression', treated[0]!, shown, once); // the same event again: the stream keeps one
    for (const s of treated.slice(0, 20)) await publish('click', s, shown);
    // 30 treated subscribers convert (naming the campaign), and 10 held-out ones (who saw no offer to name).
    for (const s of treated.slice(0, 30)) await publish('conversion', s, { campaign_id: 'promo' });
    for (const s of heldOut.slice(0, 10)) await publish('conversion', s, {});
    const stats = () =>
      callUnary<GetCampaignStatsResponse__Output>((done) =>
        admin.GetCampaignStats({ tenantId: 'telco', campaignId: 'promo' }, done)
      );
    await waitFor('the holdout conversions counted', async () => (await stats()).holdout?.converted === '10');
    const report = await stats();
    expect(report.creatives).toEqual([
      {
        creativeId: 'default',
        decisions: String(treated.length),
        impressions: String(treated.length + 1),
        clicks: '20',
        conversions: '0',
      },
      { creativeId: '', decisions: '0', impressions: '0', clicks: '0', conversions: '30' },
    ]);
    expect(report.holdoutDecisions).toBe(String(heldOut.length));
    expect(report.treated).toEqual({ exposed: String(treated.length), converted: '30' });
    expect(report.holdout).toEqual({ exposed: String(heldOut.length), converted: '10' });
    expect(report.lift).toBeCloseTo(30 / treated.length / (10 / heldOut.length) - 1, 6);

    // Every ack lost: the trigger consumers are gone, so the restarted service reads the last minute of EVENTS
    // again. Each partition's watermark says what was counted: the report does not move.
    await decisioning.stop('SIGTERM');
    const jsm = await jetstreamManager(servers.nc);
    for await (const consumer of jsm.consumers.list('EVENTS')) {
      if (consumer.name.startsWith(`${TRIGGERS_DURABLE}-p`)) await jsm.consumers.delete('EVENTS', consumer.name);
    }
    decisioning = await startService('decisioning', servers);
    admin.close();
    admin = clients.campaigns(decisioning.address);
    await waitFor('every event read again', async () => {
      const backlog = await partitionedBacklog(servers.nc, TRIGGERS_DURABLE);
      return backlog?.pending === 0 && backlog.inHand === 0;
    });
    expect(await stats()).toEqual(report);
  });

  it('holds an offer decided in the subscriber’s quiet hours until they end, in their time zone', async () => {
    // Quiet hours around now, on the clock of Vladivostok (UTC+10), which the event names.
    const now = new Date();
    const local = (now.getUTCHours() + 10) % 24;
    const clock = (hour: number, minute: number) =>
      `${String((hour + 24) % 24).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    const quietEnd = (local + 2) % 24;
    await callUnary<PutCampaignResponse__Output>((done) =>
      admin.PutCampaign(
        {
          tenantId: 'telco',
          campaignJson: JSON.stringify({
            id: 'top-up',
            status: 'active',
            channels: ['sms'],
            trigger: { event: 'balance_low', quietHours: { from: clock(local - 1, 0), to: clock(quietEnd, 0) } },
          }),
        },
        done
      )
    );
    const eventId = await publish('balance_low', 'erin', { time_zone: 'Asia/Vladivostok' });
    await waitFor('erin’s delivery', async () => (await deliveries()).some((d) => d.triggerEventId === eventId));
    const held = (await deliveries()).find((d) => d.triggerEventId === eventId)!;
    const notBeforeMs = Number(held.notBefore!.seconds) * 1000;
    // The start of the hour quiet hours end, 1–2 hours from now: in UTC, quietEnd - 10.
    const expected = new Date(now);
    expected.setUTCHours(now.getUTCHours() + 2, 0, 0, 0);
    expect(notBeforeMs).toBe(expected.getTime());
    expect(new Date(notBeforeMs).getUTCHours()).toBe((quietEnd - 10 + 24) % 24);
  });
});
