import { jetstreamManager } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Event, IngestResponse__Output } from '@dmp/grpc';
import { freePort, type ServiceProcess } from '@dmp/local-servers';
import { featureStoreBacklog } from '@dmp/messaging';

import {
  addTenant,
  publishModels,
  callUnary,
  clients,
  readStream,
  startServers,
  startService,
  TEST_API_KEY,
  waitFor,
  type Servers,
} from '../harness';
import { EMAILS, FORBIDDEN, SUBSCRIBERS } from '../harness/pii';

/**
 * The privacy promise, checked end to end: phone numbers and email addresses sent to either door never
 * appear raw — nor as an unkeyed hash — in any NATS stream or KV bucket (subjects, headers, payloads), in
 * Redis (keys or values), or in any service's logs and traces.
 */
let servers: Servers;
const services: Record<string, ServiceProcess> = {};
let httpPort: number;

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'telco');
  await publishModels(servers.nc);
  httpPort = await freePort();
  const env = { LOG_LEVEL: 'debug', OTEL_TRACES_EXPORTER: 'console', DEFAULT_PHONE_REGION: 'RU' };
  services['event-intake'] = await startService('event-intake', servers, { ...env, HTTP_PORT: String(httpPort) });
  services['feature-store'] = await startService('feature-store', servers, env);
  services['decisioning'] = await startService('decisioning', servers, env);
});

afterAll(async () => {
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await servers?.stop();
});

describe('personal identifiers', () => {
  it('never appear raw or unkeyed in NATS, Redis, logs or traces', async () => {
    const intake = clients.intake(services['event-intake']!.address);
    let n = 0;
    const events: Event[] = [];
    for (const s of SUBSCRIBERS) {
      for (const written of s.written) {
        events.push({
          eventId: `p-${++n}`,
          type: 'roaming_start',
          identities: { msisdn: written },
          properties: { country: { stringValue: 'TR' } },
        });
        events.push({ eventId: `p-${++n}`, type: 'view', identities: { msisdn: written }, itemIds: ['sim-card'] });
        // Rejected (no balance): the failed-events stream must hold its payload keyed, too.
        events.push({ eventId: `p-${++n}`, type: 'balance_low', identities: { msisdn: written } });
      }
    }
    for (const e of EMAILS) {
      for (const written of e.written) {
        events.push({ eventId: `p-${++n}`, type: 'view', identities: { email: written }, itemIds: ['tariff-max'] });
        events.push({ eventId: `p-${++n}`, type: 'teleport', identities: { email: written } }); // rejected
      }
    }
    const response = await callUnary<IngestResponse__Output>((done) =>
      intake.Ingest({ tenantId: 'telco', events }, done)
    );
    const accepted = response.results.filter((r) => r.status === 'EVENT_STATUS_ACCEPTED').length;
    expect(accepted).toBeGreaterThan(10);
    expect(response.results.filter((r) => r.status === 'EVENT_STATUS_REJECTED').length).toBeGreaterThan(5);
    intake.close();

    // The same through the HTTP door, including a malformed event carrying an email inside a wrong field.
    const http = await fetch(`http://127.0.0.1:${httpPort}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
      body: JSON.stringify({
        tenant_id: 'telco',
        events: [
          { event_id: 'h-1', type: 'view', identities: { msisdn: SUBSCRIBERS[0]!.written[0] }, item_ids: ['sim-card'] },
          { event_id: 'h-2', type: 'view', identities: { email: EMAILS[0]!.written[0] }, item_ids: 'not-a-list' },
          { event_id: 'h-3', type: 'view', identities: `${EMAILS[1]!.written[0]} ${SUBSCRIBERS[1]!.written[0]}` },
        ],
      }),
    });
    expect(http.status).toBe(200);

    // Let the feature store apply everything and decisioning read it, so every writer has written.
    await waitFor('the feature store caught up', async () => (await featureStoreBacklog(servers.nc)) === 0);

    // Everything NATS holds: every stream (events, failed events, KV buckets), subjects, headers, data.
    const corpus: string[] = [];
    let natsMessages = 0;
    const jsm = await jetstreamManager(servers.nc);
    for await (const stream of jsm.streams.list()) {
      for (const m of await readStream(servers.nc, stream.config.name)) {
        natsMessages++;
        corpus.push(m.subject, m.msgId ?? '', Buffer.from(m.data).toString('latin1'));
      }
    }
    // Everything Redis holds.
    const redis = new Redis(servers.redis.url);
    const keys = await redis.keys('*');
    for (const key of keys) {
      corpus.push(key);
      const type = await redis.type(key);
      if (type === 'string') corpus.push((await redis.get(key)) ?? '');
      else if (type === 'hash') corpus.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') corpus.push(...(await redis.lrange(key, 0, -1)));
      else if (type === 'zset') corpus.push(...(await redis.zrange(key, 0, -1)));
      else if (type === 'set') corpus.push(...(await redis.smembers(key)));
    }
    await redis.quit();
    // Every log line and span of every service.
    for (const service of Object.values(services)) corpus.push(service.output());
    const text = corpus.join('\n');

    // The scan read real data: streams, keys and logs, and the keyed forms are there.
    expect(natsMessages).toBeGreaterThan(events.length);
    expect(keys.some((k) => k.includes(':e:u:msisdn:'))).toBe(true);
    expect(text).toContain('"msg":"span"');
    for (const raw of FORBIDDEN) expect(text.includes(raw), `found "${raw}"`).toBe(false);
  });
});
