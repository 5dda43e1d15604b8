import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { callUnary, type Event, type IngestResponse__Output, type PutCampaignResponse__Output } from '@dmp/grpc';
import { prng } from '@dmp/demo-data';
import type { ServiceProcess } from '@dmp/local-servers';
import { decodeDelivery, deliveryKey, DELIVERY_DURABLE, TRIGGERS_DURABLE } from '@dmp/messaging';

import { FakeGateway } from '../../services/delivery/src/fake-gateway';
import {
  addTenant,
  clients,
  publishModels,
  readStream,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../harness';

/**
 * The trigger pipeline's promise, under kill -9: 10 000 trigger events go in through intake while the
 * decisioning (trigger consumer) and delivery processes are killed at random points and restarted; every
 * due offer reaches the gateway exactly once: 0 lost, 0 duplicates.
 */
const TRIGGERS = 10_000;
const KILLS = 6; // of each process
const SECRET = 'crash-test-secret';

let servers: Servers;
let gateway: FakeGateway;
let intake: ServiceProcess;
let decisioning: ServiceProcess;
let delivery: ServiceProcess;

const startDecisioning = () => startService('decisioning', servers, { TRIGGER_ACK_WAIT_S: '2' });
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
  const admin = clients.campaigns(decisioning.address);
  await callUnary<PutCampaignResponse__Output>((done) =>
    admin.PutCampaign(
      {
        tenantId: 'telco',
        campaignJson: JSON.stringify({
          id: 'roaming-pack',
          status: 'active',
          channels: ['sms'],
          trigger: { event: 'roaming_start' },
        }),
      },
      done
    )
  );
  admin.close();
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
      const ingest = (async () => {
        for (let batch = 0; batch < TRIGGERS / 500; batch++) {
          const events: Event[] = Array.from({ length: 500 }, (_, i) => {
            const eventId = `roam-${batch * 500 + i}`;
            eventIds.push(eventId);
            return {
              eventId,
              type: 'roaming_start',
              identities: { userId: `subscriber-${batch * 500 + i}` },
              properties: { country: { stringValue: 'TR' } },
            };
          });
          const response = await callUnary<IngestResponse__Output>((done) =>
            client.Ingest({ tenantId: 'telco', events }, done)
          );
          expect(response.results.every((r) => r.status === 'EVENT_STATUS_ACCEPTED')).toBe(true);
        }
      })();

      // Kills at random progress points, alternating processes; each lands while work is in flight.
      const random = prng(7);
      const thresholds = Array.from({ length: 2 * KILLS }, (_, i) =>
        Math.floor(((i + random()) / (2 * KILLS + 1)) * TRIGGERS)
      );
      const jsm = await jetstreamManager(servers.nc);
      // Messages in the killed process's hands, unacked: they must come back and be handled once.
      const inHand = { triggers: 0, deliveries: 0 };
      for (const [i, threshold] of thresholds.entries()) {
        await waitFor(`${threshold} offers received`, () => gateway.received().length >= threshold, 120_000);
        if (i % 2 === 0) {
          inHand.triggers += (await jsm.consumers.info('EVENTS', TRIGGERS_DURABLE)).num_ack_pending;
          await decisioning.stop('SIGKILL');
          decisioning = await startDecisioning();
        } else {
          inHand.deliveries += (await jsm.consumers.info('DELIVERIES', DELIVERY_DURABLE)).num_ack_pending;
          await delivery.stop('SIGKILL');
          delivery = await startDelivery();
        }
      }
      await ingest;
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
      process.stdout.write(
        `kill -9 × ${2 * KILLS}: ${TRIGGERS} offers, each received once; unacked at the kills: trigger events ` +
          `${inHand.triggers}, deliveries ${inHand.deliveries}; gateway repeats (posts of an offer it already ` +
          `had, answered "duplicate") ${gateway.repeats}\n`
      );
      expect(inHand.triggers).toBeGreaterThan(0);
      expect(inHand.deliveries).toBeGreaterThan(0);
    }
  );
});
