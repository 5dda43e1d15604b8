import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { callUnary, type Event, type IngestResponse__Output } from '@dmp/grpc';
import { prng } from '@dmp/demo-data';
import type { ServiceProcess } from '@dmp/local-servers';
import { decodeDelivery, deliveryKey, DELIVERY_DURABLE, partitionedBacklog, TRIGGERS_DURABLE } from '@dmp/messaging';

import { FakeGateway } from '../../services/delivery/src/fake-gateway';
import {
  addTenant,
  clients,
  publishModels,
  putCampaign,
  readStream,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../harness';

/**
 * The trigger pipeline's promise, under kill -9: 10 000 trigger events go in through intake while the
 * decisioning (trigger consumer) and delivery processes are each killed six times, every time while holding
 * unacked messages, and restarted; every due offer reaches the gateway exactly once: 0 lost, 0 duplicates.
 */
const TRIGGERS = 10_000;
const KILLS = 6; // of each process
const SECRET = 'crash-test-secret';

let servers: Servers;
let gateway: FakeGateway;
let intake: ServiceProcess;
let decisioning: ServiceProcess;
let delivery: ServiceProcess;

// Short leases: a killed replica's partitions of EVENTS go to the restarted one within seconds.
const startDecisioning = () =>
  startService('decisioning', servers, { TRIGGER_ACK_WAIT_S: '2', PARTITION_LEASE_SECONDS: '2' });
const startDelivery = () =>
  startService('delivery', servers, {
    WEBHOOK_URLS: gateway.url,
    WEBHOOK_SECRET: SECRET,
    WEBHOOK_TIMEOUT_MS: '1500',
    DELIVERY_ACK_WAIT_S: '2',
    INTAKE_ADDR: intake.address,
    DELIVERY_RETRY_BASE_MS: '50',
    DELIVERY_RETRY_MAX_MS: '500',
  });

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'telco', 1_000_000);
  await publishModels(servers.nc);
  gateway = await FakeGateway.start(0, { secret: SECRET });
  intake = await startService('event-intake', servers);
  decisioning = await startDecisioning();
  delivery = await startDelivery();
  await putCampaign(decisioning.address, 'telco', {
    id: 'roaming-pack',
    status: 'active',
    channels: ['sms'],
    trigger: { event: 'roaming_start' },
  });
});

afterAll(async () => {
  await Promise.all([decisioning, delivery, intake].map((s) => s?.stop()));
  await gateway?.close();
  await servers?.stop();
});

describe('trigger → delivery under kill -9', () => {
  it(
    'delivers every due offer exactly once across random kills of the trigger consumer and the delivery adapter',
    { timeout: 600_000 },
    async () => {
      const client = clients.intake(intake.address, { defaultDeadlineMs: 30_000 });
      const eventIds: string[] = [];
      /** Sends the next `count` trigger events through intake. */
      const ingest = async (count: number): Promise<void> => {
        for (let sent = 0; sent < count; sent += 500) {
          const events: Event[] = Array.from({ length: Math.min(500, count - sent) }, () => {
            const n = eventIds.length;
            const eventId = `roam-${n}`;
            eventIds.push(eventId);
            return {
              eventId,
              type: 'roaming_start',
              identities: { userId: `subscriber-${n}` },
              properties: { country: { stringValue: 'TR' } },
            };
          });
          const response = await callUnary<IngestResponse__Output>((done) =>
            client.Ingest({ tenantId: 'telco', events }, done)
          );
          expect(response.results.map((r) => r.status)).toEqual(events.map(() => 'EVENT_STATUS_ACCEPTED'));
        }
      };

      // The events go in in segments of random size; after each, one of the two processes is killed the
      // moment it has messages of that segment in hand (unacked), alternating.
      const random = prng(7);
      const jsm = await jetstreamManager(servers.nc);
      const inHand = async (stream: string, durable: string) =>
        durable === TRIGGERS_DURABLE
          ? ((await partitionedBacklog(servers.nc, durable))?.inHand ?? 0)
          : (await jsm.consumers.info(stream, durable)).num_ack_pending;
      const killed = { triggers: 0, deliveries: 0 };
      const segment = Math.floor(TRIGGERS / (2 * KILLS + 1));
      for (let i = 0; i < 2 * KILLS; i++) {
        await ingest(Math.floor(segment * (0.5 + random())));
        if (i % 2 === 0) {
          await waitFor('trigger events in hand', async () => (await inHand('EVENTS', TRIGGERS_DURABLE)) > 0);
          killed.triggers += await inHand('EVENTS', TRIGGERS_DURABLE);
          await decisioning.stop('SIGKILL');
          decisioning = await startDecisioning();
        } else {
          await waitFor('deliveries in hand', async () => (await inHand('DELIVERIES', DELIVERY_DURABLE)) > 0);
          killed.deliveries += await inHand('DELIVERIES', DELIVERY_DURABLE);
          await delivery.stop('SIGKILL');
          delivery = await startDelivery();
        }
      }
      await ingest(TRIGGERS - eventIds.length);
      client.close();
      await waitFor('every offer received', () => gateway.received().length >= TRIGGERS, 300_000);

      const expected = new Set(eventIds.map((id) => deliveryKey('telco', id, 'roaming-pack')));
      const received = gateway.received().map((r) => r.key);
      expect(new Set(received).size).toBe(received.length);
      expect(received.length).toBe(TRIGGERS);
      expect(received.filter((key) => !expected.has(key))).toEqual([]);
      // The stream deduplicated what the restarted trigger consumer published again.
      const published = (await readStream(servers.nc, 'DELIVERIES')).map((m) => decodeDelivery(m.data).idempotencyKey);
      expect(new Set(published).size).toBe(TRIGGERS);

      // The faults were real: both processes died with messages in hand.
      expect(killed.triggers).toBeGreaterThan(0);
      expect(killed.deliveries).toBeGreaterThan(0);
      process.stdout.write(
        `kill -9 × ${2 * KILLS}: ${TRIGGERS} offers, each received once; unacked at the kills: trigger events ` +
          `${killed.triggers}, deliveries ${killed.deliveries}; gateway repeats (posts of an offer it already ` +
          `had, answered "duplicate") ${gateway.repeats}\n`
      );
    }
  );
});
