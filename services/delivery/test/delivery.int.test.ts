import { jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Delivery } from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import {
  decodeDeadDelivery,
  decodeEvent,
  deliverySubject,
  encodeDelivery,
  ensureStream,
  deliveriesStream,
} from '@dmp/messaging';

import { FakeGateway } from '../src/fake-gateway';
import {
  addTenant,
  checkHealth,
  readStream,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../../../test/harness';

const SECRET = 'test-webhook-secret';
let servers: Servers;
let intake: ServiceProcess;
let delivery: ServiceProcess;
let gateway: FakeGateway;
let n = 0;

const timestamp = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });

/** Publishes an offer as the trigger consumer does; returns its idempotency key. */
async function offer(campaignId: string, options: { notBeforeMs?: number; msgId?: string; key?: string } = {}) {
  const key = options.key ?? `key-${++n}`.padEnd(32, '0');
  const message: Delivery = {
    idempotencyKey: key,
    tenantId: 'telco',
    subjectId: `subscriber-${n}`,
    campaignId,
    campaignVersion: 1,
    creativeId: 'default',
    channel: 'sms',
    decisionId: `trigger-${key}`,
    triggerEventId: `event-${n}`,
    triggerEventType: 'roaming_start',
    notBefore: timestamp(options.notBeforeMs ?? Date.now()),
    decidedAt: timestamp(Date.now()),
  };
  await jetstream(servers.nc).publish(deliverySubject('telco', 'sms', `subscriber-${n}`), encodeDelivery(message), {
    msgID: options.msgId ?? key,
  });
  return key;
}

/** The `delivery_status` events intake stored, by event id. */
async function statusEvents(): Promise<Map<string, Record<string, string | number>>> {
  const events = (await readStream(servers.nc, 'EVENTS')).map((m) => decodeEvent(m.data));
  return new Map(
    events
      .filter((e) => e.type === 'delivery_status')
      .map((e) => [
        e.eventId,
        Object.fromEntries(Object.entries(e.properties).map(([k, v]) => [k, (v.stringValue ?? v.numberValue)!])),
      ])
  );
}

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'telco');
  await ensureStream(servers.nc, deliveriesStream(1));
  // Flaky: the first two attempts of every offer fail; offers of campaign "unreachable" always do.
  gateway = await FakeGateway.start(0, {
    secret: SECRET,
    failFirst: 2,
    alwaysFail: (body) => body.campaignId === 'unreachable',
  });
  intake = await startService('event-intake', servers);
  delivery = await startService('delivery', servers, {
    WEBHOOK_URLS: gateway.url,
    WEBHOOK_SECRET: SECRET,
    INTAKE_ADDR: intake.address,
    DELIVERY_MAX_ATTEMPTS: '4',
    DELIVERY_RETRY_BASE_MS: '50',
    DELIVERY_RETRY_MAX_MS: '200',
  });
});

afterAll(async () => {
  await delivery?.stop();
  await intake?.stop();
  await gateway?.close();
  await servers?.stop();
});

describe('delivery service against a flaky fake gateway', () => {
  it('retries with backoff until the gateway takes the offer, once, signed, and reports it delivered', async () => {
    expect(await checkHealth(delivery.address)).toBe('SERVING');
    const key = await offer('roaming-pack');
    await waitFor('the offer received', async () => gateway.received().some((r) => r.key === key));
    expect(gateway.attemptsOf(key)).toBe(3); // two 503s, then accepted
    expect(gateway.badSignatures).toBe(0);
    expect(gateway.received().find((r) => r.key === key)!.body).toMatchObject({
      campaignId: 'roaming-pack',
      channel: 'sms',
      attempt: 3,
    });
    await waitFor('the delivered status event', async () => (await statusEvents()).has(`delivery-${key}`));
    expect((await statusEvents()).get(`delivery-${key}`)).toMatchObject({
      status: 'delivered',
      campaign_id: 'roaming-pack',
      attempts: 3,
    });

    // The same offer again, past the stream's dedupe (another message id): the ledger knows it was sent.
    const posts = gateway.posts;
    const marker = await offer('roaming-pack');
    await offer('roaming-pack', { key, msgId: `replay-${key}` });
    await waitFor('the next offer', async () => gateway.received().some((r) => r.key === marker));
    expect(gateway.attemptsOf(key)).toBe(3);
    expect(gateway.repeats).toBe(0);
    expect(gateway.posts - posts).toBe(3); // the marker's three attempts only
  });

  it('dead-letters an offer the gateway never takes after the last attempt, and reports it failed', async () => {
    const key = await offer('unreachable');
    await waitFor('the dead letter', async () =>
      (await readStream(servers.nc, 'DEAD_DELIVERIES')).some(
        (m) => decodeDeadDelivery(m.data).delivery?.idempotencyKey === key
      )
    );
    const dead = (await readStream(servers.nc, 'DEAD_DELIVERIES')).map((m) => decodeDeadDelivery(m.data));
    const letter = dead.find((d) => d.delivery?.idempotencyKey === key)!;
    expect(letter.attempts).toBe(4);
    expect(letter.reason).toContain('HTTP 503');
    expect(gateway.attemptsOf(key)).toBe(4);
    expect(gateway.received().some((r) => r.key === key)).toBe(false);
    await waitFor(
      'the failed status event',
      async () => (await statusEvents()).get(`delivery-${key}`)?.['status'] === 'failed'
    );
  });

  it('sends nothing before the offer’s send time (a delay, or the end of quiet hours)', async () => {
    const sendAt = Date.now() + 2_000;
    const key = await offer('later', { notBeforeMs: sendAt });
    await waitFor('the delayed offer', async () => gateway.received().some((r) => r.key === key), 20_000);
    const first = Math.min(
      ...gateway
        .received()
        .filter((r) => r.key === key)
        .map((r) => r.atMs)
    );
    expect(first).toBeGreaterThanOrEqual(sendAt);
  });
});
