/**
 * NATS users per service: a nats-server whose only users are the services' (each limited to the subjects it
 * writes, @dmp/messaging permissions) and an admin. Every service starts and serves under its user through
 * the main paths (events in, features, Recommend, campaigns, segments, event types, keys, erasure, triggered
 * offers), the server logs no permission violation, and a service publishing or subscribing outside its
 * subjects is refused by the server.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { AckPolicy, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { demoCampaigns } from '@dmp/demo-data';
import { startNatsServer, startRedisServer, type LocalServer, type ServiceProcess } from '@dmp/local-servers';
import { storeApiKey } from '@dmp/access';
import { createTenant, natsAuthorizationConfig, SERVICE_USERS, type ServiceUser } from '@dmp/messaging';

import { callUnary, clients, publishModels, startService, TEST_API_KEY_RECORD, userFeature, waitFor } from '../harness';

const passwords = Object.fromEntries(
  [...SERVICE_USERS, 'admin'].map((user) => [user, randomBytes(12).toString('hex')])
) as Record<ServiceUser | 'admin', string>;

let nats: LocalServer;
let redis: LocalServer;
let admin: NatsConnection;
const services: Partial<Record<ServiceUser, ServiceProcess>> = {};

beforeAll(async () => {
  [nats, redis] = await Promise.all([
    startNatsServer({ extraConfig: natsAuthorizationConfig(passwords) }),
    startRedisServer(),
  ]);
  admin = await connect({ servers: nats.url, user: 'admin', pass: passwords.admin });
  await storeApiKey(admin, TEST_API_KEY_RECORD);
  await createTenant(admin, 'shop');
  await publishModels(admin);
  const as = (user: ServiceUser) => ({ NATS_USER: user, NATS_PASSWORD: passwords[user] });
  for (const name of ['event-intake', 'feature-store', 'scoring', 'decisioning'] as const) {
    services[name] = await startService(name, { nats, redis }, as(name));
  }
  services.delivery = await startService(
    'delivery',
    { nats, redis },
    {
      ...as('delivery'),
      INTAKE_ADDR: services['event-intake']!.address,
      WEBHOOK_SECRET: 'test',
    }
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await admin?.close();
  await Promise.all([nats?.stop(), redis?.stop()]);
});

describe('NATS users per service', () => {
  it('runs every service under its own user without a permission violation', async () => {
    const intake = clients.intake(services['event-intake']!.address, { defaultDeadlineMs: 5_000 });
    const store = clients.featureStore(services['feature-store']!.address, { defaultDeadlineMs: 5_000 });
    const profiles = clients.profiles(services['feature-store']!.address, { defaultDeadlineMs: 5_000 });
    const access = clients.access(services['feature-store']!.address, { defaultDeadlineMs: 5_000 });
    const decisioning = clients.decisioning(services.decisioning!.address, { defaultDeadlineMs: 5_000 });
    const campaigns = clients.campaigns(services.decisioning!.address, { defaultDeadlineMs: 5_000 });
    try {
      const events = Array.from({ length: 20 }, (_, i) => ({
        eventId: `e-${i}`,
        type: 'view',
        identities: { userId: `u${i % 4}` },
        itemIds: [`i${i % 5}`],
      }));
      await callUnary((done) => intake.Ingest({ tenantId: 'shop', events }, done));
      await waitFor(
        'the views applied by the feature store',
        async () => (await userFeature(store, 'shop', 'u1', 'user.views_7d')) === 5
      );
      await callUnary((done) => decisioning.Recommend({ tenantId: 'shop', userId: 'u1', n: 3 }, done));
      await callUnary((done) =>
        campaigns.PutCampaign(
          { tenantId: 'shop', campaignJson: JSON.stringify(demoCampaigns(Date.now())[0]), expectedVersion: 0 },
          done
        )
      );
      await callUnary((done) => decisioning.Decide({ tenantId: 'shop', userId: 'u1', placement: 'home-banner' }, done));
      await callUnary((done) =>
        store.PutSegment(
          {
            tenantId: 'shop',
            segmentJson: JSON.stringify({ id: 'viewers', condition: 'profile["user.views_7d"] >= 1.0' }),
          },
          done
        )
      );
      await callUnary((done) =>
        intake.PutEventType(
          { eventType: { tenantId: 'shop', name: 'coupon_used', propertiesSchemaJson: '{"type":"object"}' } },
          done
        )
      );
      await callUnary((done) => access.CreateApiKey({ tenantId: 'shop', name: 'backend', scopes: ['serve'] }, done));
      await callUnary((done) => profiles.DeleteProfile({ tenantId: 'shop', identifier: 'u3', reason: 'asked' }, done));
      // A rebuild reads EVENTS from the start and switches the tenant's feature build.
      await callUnary((done) => store.RebuildFeatures({ tenantId: 'shop', since: null }, done));
    } finally {
      for (const client of [intake, store, profiles, access, decisioning, campaigns]) client.close();
    }
    const log = readFileSync(nats.logFile, 'utf8');
    expect(log.split('\n').filter((line) => /Violation/i.test(line))).toEqual([]);
  });

  it('refuses a service that publishes or subscribes outside its subjects', async () => {
    const scoring = await connect({ servers: nats.url, user: 'scoring', pass: passwords.scoring });
    const violations: string[] = [];
    const watching = (async () => {
      for await (const status of scoring.status()) {
        if (status.type === 'error') violations.push(String(status.error));
      }
    })();
    // Scoring writes shadow scores, never events, deliveries or tenants, and reads no stream's subjects.
    scoring.publish('events.v1.shop.view.u1', 'forged');
    scoring.publish('$KV.dmp_tenants.evil', '{}');
    scoring.subscribe('events.v1.>');
    await scoring.flush();
    await waitFor('three permission violations', () => violations.length >= 3, 5_000);
    // Nor may it read another service's stream through the JetStream API (a consumer on EVENTS).
    const jsm = await jetstreamManager(scoring, { timeout: 2_000 });
    await expect(jsm.consumers.add('EVENTS', { name: 'peek', ack_policy: AckPolicy.None })).rejects.toThrow();
    expect(violations.join('\n')).toMatch(/Permissions Violation for Publish to "events\.v1\.shop\.view\.u1"/i);
    expect(violations.join('\n')).toMatch(/Permissions Violation for Publish to "\$KV\.dmp_tenants\.evil"/i);
    expect(violations.join('\n')).toMatch(/Permissions Violation for Subscription to "events\.v1\.>"/i);
    await scoring.close();
    await watching;
    // The server logs them too: what the first test found absent is there when it happens.
    await waitFor('the violations in the server log', () =>
      /Publish Violation.*events\.v1\.shop\.view\.u1/i.test(readFileSync(nats.logFile, 'utf8'))
    );
  });
});
