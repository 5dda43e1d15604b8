/**
 * Redis ACL users per service (@dmp/redis acl.ts): the feature store, decisioning and delivery each connect as
 * their own user; through the main paths (events applied, segments, Recommend, campaigns with caps, a triggered
 * offer through delivery, erasure) Redis records no denied command, and a service running a command or touching
 * a key outside its rules is refused.
 */
import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { demoCampaigns } from '@dmp/demo-data';
import type { ServiceProcess } from '@dmp/local-servers';
import { redisAclRules, REDIS_SERVICE_USERS, type RedisServiceUser } from '@dmp/redis';

import {
  addTenant,
  callUnary,
  clients,
  publishModels,
  startServers,
  startService,
  userFeature,
  waitFor,
  type Servers,
} from '../harness';

const passwords = Object.fromEntries(REDIS_SERVICE_USERS.map((u) => [u, randomBytes(12).toString('hex')])) as Record<
  RedisServiceUser,
  string
>;

let servers: Servers;
let admin: Redis;
const services: ServiceProcess[] = [];
const urlFor = (user: RedisServiceUser) => servers.redis.url.replace('redis://', `redis://${user}:${passwords[user]}@`);

beforeAll(async () => {
  servers = await startServers();
  admin = new Redis(servers.redis.url);
  for (const user of REDIS_SERVICE_USERS) {
    await admin.call('ACL', 'SETUSER', user, 'reset', ...redisAclRules(user).split(' '), `>${passwords[user]}`);
  }
  await addTenant(servers.nc, 'shop');
  await publishModels(servers.nc);
  const intake = await startService('event-intake', servers);
  services.push(intake);
  services.push(await startService('feature-store', servers, { REDIS_URL: urlFor('feature-store') }));
  services.push(await startService('decisioning', servers, { REDIS_URL: urlFor('decisioning') }));
  services.push(
    await startService('delivery', servers, {
      REDIS_URL: urlFor('delivery'),
      INTAKE_ADDR: intake.address,
      WEBHOOK_SECRET: 'test',
    })
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  admin?.disconnect();
  await servers?.stop();
});

describe('Redis users per service', () => {
  it('runs the feature store, decisioning and delivery under their own users with no denied command', async () => {
    await admin.call('ACL', 'LOG', 'RESET');
    const [intakeProcess, storeProcess, decisioningProcess] = services;
    const intake = clients.intake(intakeProcess!.address, { defaultDeadlineMs: 5_000 });
    const store = clients.featureStore(storeProcess!.address, { defaultDeadlineMs: 5_000 });
    const profiles = clients.profiles(storeProcess!.address, { defaultDeadlineMs: 5_000 });
    const decisioning = clients.decisioning(decisioningProcess!.address, { defaultDeadlineMs: 5_000 });
    const campaigns = clients.campaigns(decisioningProcess!.address, { defaultDeadlineMs: 5_000 });
    try {
      for (const campaign of demoCampaigns(Date.now())) {
        await callUnary((done) =>
          campaigns.PutCampaign({ tenantId: 'shop', campaignJson: JSON.stringify(campaign), expectedVersion: 0 }, done)
        );
      }
      await callUnary((done) =>
        store.PutSegment(
          {
            tenantId: 'shop',
            segmentJson: JSON.stringify({ id: 'viewers', condition: 'profile["user.views_7d"] >= 1.0' }),
          },
          done
        )
      );
      const events = [
        ...Array.from({ length: 20 }, (_, i) => ({
          eventId: `e-${i}`,
          type: i % 5 === 0 ? 'purchase' : 'view',
          identities: { userId: `u${i % 4}` },
          itemIds: [`i${i % 5}`],
        })),
        // The top-up campaign fires on balance_low: decided once, counted, sent by delivery (its ledger).
        {
          eventId: 'low-1',
          type: 'balance_low',
          identities: { msisdn: '+79123456789' },
          properties: { balance: { numberValue: 12 } },
        },
      ];
      await callUnary((done) => intake.Ingest({ tenantId: 'shop', events }, done));
      await waitFor(
        'the views applied by the feature store',
        async () => ((await userFeature(store, 'shop', 'u1', 'user.views_7d')) ?? 0) >= 1
      );
      await callUnary((done) => decisioning.Recommend({ tenantId: 'shop', userId: 'u1', n: 3 }, done));
      await callUnary((done) => decisioning.Decide({ tenantId: 'shop', userId: 'u1', placement: 'home-banner' }, done));
      await waitFor('delivery took the top-up offer (its ledger)', async () => (await admin.keys('dlv:*')).length > 0);
      await callUnary((done) => profiles.DeleteProfile({ tenantId: 'shop', identifier: 'u1', reason: 'asked' }, done));
    } finally {
      for (const client of [intake, store, profiles, decisioning, campaigns]) client.close();
    }
    const denied = (await admin.call('ACL', 'LOG')) as unknown[][];
    expect(denied.map((entry) => entry.map(String).join(' '))).toEqual([]);
  });

  it('refuses a command or a key outside the service user rules', async () => {
    const asDecisioning = new Redis(urlFor('decisioning'), { maxRetriesPerRequest: 0 });
    const asDelivery = new Redis(urlFor('delivery'), { maxRetriesPerRequest: 0 });
    try {
      await expect(asDecisioning.set('fs:v2:{shop}:forged', '1')).rejects.toThrow(/NOPERM/);
      await expect(asDecisioning.get('dlv:shop:{x}')).rejects.toThrow(/NOPERM/);
      await expect(asDecisioning.flushall()).rejects.toThrow(/NOPERM/);
      await expect(asDelivery.get('fs:v2:{shop}:x')).rejects.toThrow(/NOPERM/);
      await expect(asDelivery.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru')).rejects.toThrow(/NOPERM/);
      // What it may: its own keys, and reading features.
      await expect(asDecisioning.get('fs:v2:{shop}:x')).resolves.toBeNull();
      await expect(asDelivery.set('dlv:shop:{probe}', '1')).resolves.toBe('OK');
      // Redis logs each refusal (what the first test found empty): who, and which key or command.
      const denied = ((await admin.call('ACL', 'LOG')) as unknown[][]).map((entry) => entry.map(String).join(' '));
      expect(denied.some((line) => line.includes('decisioning') && line.includes('fs:v2:{shop}:forged'))).toBe(true);
    } finally {
      asDecisioning.disconnect();
      asDelivery.disconnect();
    }
  });
});
