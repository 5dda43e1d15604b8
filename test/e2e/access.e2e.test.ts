/**
 * Access control, for every RPC every server exposes (found by reflection, so a new RPC is in this test the
 * day it is served): without a key, with a key of another tenant, with each scope that is not the RPC's,
 * and with the right one. Then keys made, listed and revoked through AccessService (revocation reaching
 * every service), an expired key, and the audit trail of admin changes.
 */
import * as grpc from '@grpc/grpc-js';
import { jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  ALL_TENANTS,
  auditSubject,
  isPublicMethod,
  mintApiKey,
  POLICY,
  SCOPES,
  storeApiKey,
  type AuditRecord,
  type Scope,
} from '@dmp/access';
import { demoCampaigns } from '@dmp/demo-data';
import { loadProtos, type CreateApiKeyResponse__Output } from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';

import {
  addTenant,
  callUnary,
  clients,
  listServices,
  publishModels,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../harness';

let servers: Servers;
const services: ServiceProcess[] = [];

/** A key stored straight in the bucket (as `dmp up` does), for a tenant and scopes. */
async function keyFor(tenantId: string, scopes: Scope[], extra: { expiresAt?: string } = {}): Promise<string> {
  const { token, record } = mintApiKey({
    tenantId,
    kind: 'secret',
    scopes,
    name: `test ${scopes.join('+')}`,
    createdBy: 'test',
    ...extra,
  });
  await storeApiKey(servers.nc, record);
  return token;
}

interface Method {
  address: string;
  path: string;
  definition: grpc.MethodDefinition<unknown, unknown>;
}

/** Calls any RPC with a minimal request naming `tenantId`; resolves with the status code it ended with. */
function callWith(method: Method, tenantId: string, key: string | undefined): Promise<grpc.status> {
  const client = new grpc.Client(method.address, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  if (key !== undefined) metadata.set('authorization', `Bearer ${key}`);
  const request = method.path.endsWith('/PutEventType') ? { eventType: { tenantId } } : { tenantId };
  const { requestSerialize, responseDeserialize } = method.definition;
  const options = { deadline: Date.now() + 10_000 };
  return new Promise<grpc.status>((resolve) => {
    const done = (error: grpc.ServiceError | null) => {
      client.close();
      resolve(error ? error.code : grpc.status.OK);
    };
    if (method.definition.requestStream) {
      const call = client.makeClientStreamRequest(
        method.path,
        requestSerialize,
        responseDeserialize,
        metadata,
        options,
        done
      );
      call.write(request);
      call.end();
    } else if (method.definition.responseStream) {
      const call = client.makeServerStreamRequest(
        method.path,
        requestSerialize,
        responseDeserialize,
        request,
        metadata,
        options
      );
      call.on('data', () => {});
      call.on('error', (error: grpc.ServiceError) => done(error));
      call.on('end', () => done(null));
    } else {
      client.makeUnaryRequest(method.path, requestSerialize, responseDeserialize, request, metadata, options, done);
    }
  });
}

/** Every RPC every service serves, found by reflection. */
const methods: Method[] = [];
const methodEndingWith = (suffix: string): Method => methods.find((m) => m.path.endsWith(suffix))!;

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  await addTenant(servers.nc, 'other');
  await publishModels(servers.nc);
  for (const name of ['event-intake', 'feature-store', 'scoring', 'decisioning'] as const) {
    services.push(await startService(name, servers));
  }
  const { packageDefinition } = loadProtos();
  for (const service of services) {
    for (const name of await listServices(service.address)) {
      const definition = packageDefinition[name] as grpc.ServiceDefinition | undefined;
      if (!definition) continue; // health and reflection
      for (const method of Object.values(definition)) {
        methods.push({ address: service.address, path: method.path, definition: method });
      }
    }
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await servers?.stop();
});

describe('access control', () => {
  it('answers every RPC of every service by its policy: no key, another tenant, each wrong scope, the right one', async () => {
    expect(methods.length).toBeGreaterThan(30);
    // Every served RPC has a rule (the servers also refuse to start otherwise).
    expect(methods.filter((m) => !POLICY[m.path] && !isPublicMethod(m.path)).map((m) => m.path)).toEqual([]);

    const keys = new Map<Scope, string>();
    for (const scope of SCOPES) keys.set(scope, await keyFor(scope === 'platform' ? ALL_TENANTS : 'shop', [scope]));
    const otherTenant = await keyFor(
      'other',
      SCOPES.filter((s) => s !== 'platform')
    );
    const made = await keyFor('shop', []);
    const revoked = mintApiKey({
      tenantId: 'shop',
      kind: 'secret',
      scopes: [...SCOPES.filter((s) => s !== 'platform')],
      name: 'gone',
      createdBy: 'test',
    });
    await storeApiKey(servers.nc, { ...revoked.record, revokedAt: new Date().toISOString() });

    // The keys reach every service through the KV watch: wait until the last one made answers somewhere.
    const probe = methods.find((m) => m.path.endsWith('/ListCampaigns'))!;
    await waitFor(
      'keys on the services',
      async () => (await callWith(probe, 'shop', keys.get('read'))) === grpc.status.OK
    );

    const outcomes: string[] = [];
    const expectCode = (what: string, actual: grpc.status, expected: (code: grpc.status) => boolean) => {
      if (!expected(actual)) outcomes.push(`${what}: got ${grpc.status[actual]}`);
    };
    for (const method of methods) {
      const rule = POLICY[method.path]!;
      const unauthenticated = (code: grpc.status) => code === grpc.status.UNAUTHENTICATED;
      const denied = (code: grpc.status) => code === grpc.status.PERMISSION_DENIED;
      expectCode(`${method.path} without a key`, await callWith(method, 'shop', undefined), unauthenticated);
      expectCode(
        `${method.path} with a made-up key`,
        await callWith(method, 'shop', `dmp_sk_${'a'.repeat(12)}_${'0'.repeat(48)}`),
        unauthenticated
      );
      expectCode(`${method.path} with a revoked key`, await callWith(method, 'shop', revoked.token), unauthenticated);
      expectCode(`${method.path} with no scope`, await callWith(method, 'shop', made), denied);
      // Another tenant's key, with every tenant scope: refused for shop's data, whatever the RPC.
      expectCode(`${method.path} with another tenant's key`, await callWith(method, 'shop', otherTenant), denied);
      for (const scope of SCOPES) {
        const code = await callWith(method, 'shop', keys.get(scope));
        if (rule.scopes.includes(scope)) {
          expectCode(
            `${method.path} with ${scope}`,
            code,
            (c) => c !== grpc.status.UNAUTHENTICATED && c !== grpc.status.PERMISSION_DENIED
          );
        } else {
          expectCode(`${method.path} with ${scope}`, code, denied);
        }
      }
    }
    expect(outcomes).toEqual([]);
  }, 300_000);

  it('makes, lists and revokes keys through AccessService; a revoked or expired key is refused everywhere', async () => {
    const admin = await keyFor('shop', ['admin']);
    const access = clients.access(services[1]!.address, { apiKey: admin });
    await waitFor('the admin key on the feature store', async () => {
      try {
        await callUnary((done) => access.ListApiKeys({ tenantId: 'shop' }, done));
        return true;
      } catch {
        return false;
      }
    });
    const created = await callUnary<CreateApiKeyResponse__Output>((done) =>
      access.CreateApiKey({ tenantId: 'shop', name: 'shop backend', scopes: ['serve', 'read'] }, done)
    );
    expect(created.key).toMatch(/^dmp_sk_[a-z0-9]{12}_[0-9a-f]{48}$/);
    expect(created.apiKey).toMatchObject({
      tenantId: 'shop',
      kind: 'secret',
      scopes: ['serve', 'read'],
      name: 'shop backend',
    });

    // An admin of one tenant hands out neither keys for every tenant nor the platform scope.
    const refused = await new Promise<grpc.ServiceError>((resolve) =>
      access.CreateApiKey({ tenantId: ALL_TENANTS, name: 'all', scopes: ['read'] }, (error) => resolve(error!))
    );
    expect(refused.code).toBe(grpc.status.PERMISSION_DENIED);

    const listed = await callUnary<{ apiKeys: { id: string; name: string }[] }>((done) =>
      access.ListApiKeys({ tenantId: 'shop' }, done)
    );
    expect(listed.apiKeys.map((k) => k.id)).toContain(created.apiKey!.id);
    expect(JSON.stringify(listed)).not.toContain(created.key.slice(-48));

    // The new key works on every service, then, once revoked, is refused on every one of them.
    const listCampaigns = (key: string) =>
      new Promise<grpc.status>((resolve) => {
        const client = clients.campaigns(services[3]!.address, { apiKey: key });
        client.ListCampaigns({ tenantId: 'shop' }, (error) => {
          client.close();
          resolve(error ? error.code : grpc.status.OK);
        });
      });
    // Every service answers a call of the key (serve and read) before, and refuses it once revoked.
    const probes = ['/ListEventTypes', '/ListSegments', '/Score', '/ListCampaigns'].map(methodEndingWith);
    const onEvery = () => Promise.all(probes.map((method) => callWith(method, 'shop', created.key)));
    await waitFor('the new key on every service', async () =>
      (await onEvery()).every((code) => code !== grpc.status.UNAUTHENTICATED && code !== grpc.status.PERMISSION_DENIED)
    );
    const revokedAt = Date.now();
    await callUnary((done) => access.RevokeApiKey({ tenantId: 'shop', keyId: created.apiKey!.id }, done));
    await waitFor('the revocation on every service', async () =>
      (await onEvery()).every((code) => code === grpc.status.UNAUTHENTICATED)
    );
    // The KV watch brings it in milliseconds; the README states 2 s. Reported, not asserted (no time in tests).
    process.stdout.write(`revocation in force on all ${probes.length} services after ${Date.now() - revokedAt} ms\n`);

    const expired = await keyFor('shop', ['read'], { expiresAt: new Date(Date.now() - 1_000).toISOString() });
    await waitFor(
      'the expired key on decisioning',
      async () => (await listCampaigns(expired)) === grpc.status.UNAUTHENTICATED
    );
    access.close();
  });

  it('writes who changed what to the AUDIT stream, without the erased subject', async () => {
    const admin = await keyFor('shop', ['admin']);
    const campaigns = clients.campaigns(services[3]!.address, { apiKey: admin });
    const profiles = clients.profiles(services[1]!.address, { apiKey: admin });
    const campaign = { ...demoCampaigns(Date.now())[0], id: 'audited' };
    await waitFor('the admin key on decisioning', async () => {
      try {
        await callUnary((done) =>
          campaigns.PutCampaign({ tenantId: 'shop', campaignJson: JSON.stringify(campaign), expectedVersion: 0 }, done)
        );
        return true;
      } catch (error) {
        if ((error as grpc.ServiceError).code !== grpc.status.UNAUTHENTICATED) throw error;
        return false;
      }
    });
    await callUnary((done) =>
      profiles.DeleteProfile({ tenantId: 'shop', identifier: 'person-to-forget', reason: 'request' }, done)
    );
    campaigns.close();
    profiles.close();

    // Earlier tests' changes are there too (keys made and revoked, a rebuild): this key's are the last two.
    const consumer = await jetstream(servers.nc).consumers.get('AUDIT', { filter_subjects: [auditSubject('shop')] });
    const records: AuditRecord[] = [];
    for await (const message of await consumer.fetch({ max_messages: 1_000, expires: 2_000 })) {
      records.push(message.json<AuditRecord>());
      if (message.info.pending === 0) break;
    }
    const adminId = admin.split('_')[2];
    const mine = records.filter((r) => r.keyId === adminId);
    expect(mine[0]).toMatchObject({
      keyId: adminId,
      tenantId: 'shop',
      action: 'CampaignService/PutCampaign',
      target: 'audited',
      versionAfter: 1,
    });
    expect(mine[1]).toMatchObject({ keyId: adminId, tenantId: 'shop', action: 'ProfileService/DeleteProfile' });
    expect(JSON.stringify(records)).not.toContain('person-to-forget');
  });
});
