import { jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CampaignServiceClient, Event, PutCampaignResponse__Output } from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import {
  decodeDelivery,
  deliveryKey,
  encodeEvent,
  ensureStream,
  eventMsgId,
  eventsStream,
  eventSubject,
} from '@dmp/messaging';

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
  userId: string,
  properties: Record<string, string>,
  eventId = `ev-${++n}`,
  msgId?: string
) {
  const event: Event = {
    eventId,
    tenantId: 'telco',
    type,
    identities: { userId },
    properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, { stringValue: v }])),
    occurredAt: seconds(Date.now()),
    receivedAt: seconds(Date.now()),
  };
  await jetstream(servers.nc).publish(eventSubject('telco', type, userId), encodeEvent(event), {
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
    const all = await deliveries();
    expect(all.map((d) => d.subjectId).sort()).toEqual(['alice', 'dave']);
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
