import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Event, IngestResponse__Output, IntakeServiceClient } from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import { decodeEvent, subjectToken } from '@dmp/messaging';

import {
  addTenant,
  callUnary,
  checkHealth,
  clients,
  expectRejected,
  metricValue,
  readStream,
  rpcError,
  startServers,
  startService,
  waitFor,
  waitForJetStream,
  type Servers,
} from '../../../test/harness';

const view = (eventId: string, userId = 'u1', itemIds = ['sku-1']): Event => ({
  eventId,
  type: 'view',
  identities: { userId },
  itemIds,
});

const ingest = (client: IntakeServiceClient, tenantId: string, events: Event[]): Promise<IngestResponse__Output> =>
  callUnary<IngestResponse__Output>((done) => client.Ingest({ tenantId, events }, done));

describe('event-intake against real NATS JetStream', () => {
  let servers: Servers;
  let intake: ServiceProcess;
  let client: IntakeServiceClient;

  beforeAll(async () => {
    servers = await startServers();
    await addTenant(servers.nc, 'shop');
    intake = await startService('event-intake', servers, { PUBLISH_TIMEOUT_MS: '300' });
    client = clients.intake(intake.address);
  });

  afterAll(async () => {
    client?.close();
    await intake?.stop();
    await servers?.stop();
  });

  it('stores accepted events in the EVENTS stream, with tenant:event_id as the dedupe id', async () => {
    const response = await ingest(client, 'shop', [view('a-1', 'alice', ['sku-7', 'sku-8']), view('a-2', 'bob')]);
    expect(response.results.map((r) => r.status)).toEqual(['EVENT_STATUS_ACCEPTED', 'EVENT_STATUS_ACCEPTED']);

    const stored = (await readStream(servers.nc, 'EVENTS')).filter((m) => m.msgId?.startsWith('shop:a-'));
    expect(stored.map((m) => m.msgId)).toEqual(['shop:a-1', 'shop:a-2']);
    expect(stored[0]!.subject).toBe(`events.v1.shop.view.${subjectToken('alice')}`);
    const event = decodeEvent(stored[0]!.data);
    expect(event).toMatchObject({ eventId: 'a-1', tenantId: 'shop', type: 'view', itemIds: ['sku-7', 'sku-8'] });
    expect(event.identities?.userId).toBe('alice');
    expect(Number(event.receivedAt?.seconds)).toBeGreaterThan(0);
    expect(event.occurredAt).toEqual(event.receivedAt);
  });

  it('reports a repeat within the dedupe window as DUPLICATE and stores the event once', async () => {
    const first = await ingest(client, 'shop', [view('d-1')]);
    const again = await ingest(client, 'shop', [view('d-1'), view('d-2')]);
    expect(first.results[0]!.status).toBe('EVENT_STATUS_ACCEPTED');
    expect(again.results.map((r) => r.status)).toEqual(['EVENT_STATUS_DUPLICATE', 'EVENT_STATUS_ACCEPTED']);
    const stored = (await readStream(servers.nc, 'EVENTS')).filter((m) => m.msgId?.startsWith('shop:d-'));
    expect(stored.map((m) => m.msgId)).toEqual(['shop:d-1', 'shop:d-2']);
  });

  it('judges each event of a batch on its own and names the failing field', async () => {
    const response = await ingest(client, 'shop', [
      view('m-1'),
      { ...view(''), eventId: '' },
      { ...view('m-3'), type: 'teleport' },
      { ...view('m-4'), identities: {} },
      { ...view('m-5'), itemIds: ['ok', 'has space'] },
      { ...view('m-6'), occurredAt: { seconds: String(Math.floor(Date.now() / 1000) + 7 * 86_400), nanos: 0 } },
      { ...view('m-7'), properties: { note: { stringValue: 'x'.repeat(100 * 1024) } } },
      view('m-8'),
    ]);
    expect(response.results.map((r) => [r.status, r.field])).toEqual([
      ['EVENT_STATUS_ACCEPTED', ''],
      ['EVENT_STATUS_REJECTED', 'events[1].event_id'],
      ['EVENT_STATUS_REJECTED', 'events[2].type'],
      ['EVENT_STATUS_REJECTED', 'events[3].identities.user_id'],
      ['EVENT_STATUS_REJECTED', 'events[4].item_ids[1]'],
      ['EVENT_STATUS_REJECTED', 'events[5].occurred_at'],
      ['EVENT_STATUS_REJECTED', 'events[6]'],
      ['EVENT_STATUS_ACCEPTED', ''],
    ]);
    expect(response.results[2]!.reason).toContain('teleport');
    const stored = (await readStream(servers.nc, 'EVENTS')).filter((m) => m.msgId?.startsWith('shop:m-'));
    expect(stored.map((m) => m.msgId)).toEqual(['shop:m-1', 'shop:m-8']);
  });

  it('answers bad requests with the right status and a message naming the field, and stays up', async () => {
    await expectRejected<[string, Event[]]>(
      ([tenantId, events]) => ingest(client, tenantId, events),
      [
        ['empty batch', ['shop', []], 'INVALID_ARGUMENT', 'events'],
        ['missing tenant', ['', [view('x')]], 'INVALID_ARGUMENT', 'tenant_id'],
        ['malformed tenant', ['Bad Tenant', [view('x')]], 'INVALID_ARGUMENT', 'tenant_id'],
        ['unknown tenant', ['nobody', [view('x')]], 'NOT_FOUND', 'tenant_id'],
        [
          'batch over 1000',
          ['shop', Array.from({ length: 1001 }, (_, i) => view(`big-${i}`))],
          'INVALID_ARGUMENT',
          'events',
        ],
        [
          'payload over 4 MiB',
          ['shop', [{ ...view('huge'), properties: { blob: { stringValue: 'x'.repeat(5 * 1024 * 1024) } } }]],
          'RESOURCE_EXHAUSTED',
          '',
        ],
      ]
    );
    expect(await checkHealth(intake.address)).toBe('SERVING');
    expect((await ingest(client, 'shop', [view('after-bad-input')])).results[0]!.status).toBe('EVENT_STATUS_ACCEPTED');
  });

  it('is NOT_SERVING while NATS is down, answers UNAVAILABLE, and recovers when NATS returns', async () => {
    await servers.nats.stop();
    await waitFor('intake NOT_SERVING', async () => (await checkHealth(intake.address)) === 'NOT_SERVING');
    const error = await rpcError(ingest(client, 'shop', [view('while-down')]));
    expect(grpc.status[error.code]).toBe('UNAVAILABLE');

    await servers.nats.start();
    await waitFor('intake SERVING again', async () => (await checkHealth(intake.address)) === 'SERVING');
    await waitForJetStream(servers.nc);
    // The retry after an UNAVAILABLE is safe: the event is stored exactly once.
    const retried = await ingest(client, 'shop', [view('while-down')]);
    expect(['EVENT_STATUS_ACCEPTED', 'EVENT_STATUS_DUPLICATE']).toContain(retried.results[0]!.status);
    const stored = (await readStream(servers.nc, 'EVENTS')).filter((m) => m.msgId === 'shop:while-down');
    expect(stored).toHaveLength(1);
  });
});

describe('event-intake graceful shutdown', () => {
  it('finishes in-flight calls on SIGTERM and loses no accepted event', async () => {
    const servers = await startServers();
    try {
      await addTenant(servers.nc, 'shop');
      const intake = await startService('event-intake', servers);
      const client = clients.intake(intake.address);
      const accepted = new Set<string>();
      const outcomes = new Map<string, number>();
      let sigtermAt = 0;
      let finishedAfterSigterm = 0;
      let batchNo = 0;

      const worker = async (w: number): Promise<void> => {
        for (;;) {
          const events = Array.from({ length: 50 }, (_, i) => view(`w${w}-b${batchNo}-${i}`, `user-${i}`));
          batchNo++;
          const startedAt = Date.now();
          try {
            const response = await ingest(client, 'shop', events);
            response.results.forEach((r) => r.status === 'EVENT_STATUS_ACCEPTED' && accepted.add(r.eventId));
            outcomes.set('OK', (outcomes.get('OK') ?? 0) + 1);
            if (sigtermAt && startedAt < sigtermAt) finishedAfterSigterm++;
          } catch (error) {
            const code = grpc.status[(error as grpc.ServiceError).code];
            outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
            return; // the server is gone: this worker stops
          }
        }
      };
      const workers = Array.from({ length: 8 }, (_, w) => worker(w));
      await waitFor('some load', () => accepted.size >= 2_000);
      sigtermAt = Date.now();
      const exitCode = await intake.stop('SIGTERM');
      await Promise.all(workers);
      client.close();

      expect(exitCode).toBe(0);
      expect(finishedAfterSigterm).toBeGreaterThan(0); // calls in flight at SIGTERM completed
      expect([...outcomes.keys()].sort()).toEqual(['OK', 'UNAVAILABLE']); // no CANCELLED or INTERNAL
      const stored = new Set((await readStream(servers.nc, 'EVENTS')).map((m) => decodeEvent(m.data).eventId));
      const lost = [...accepted].filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
    } finally {
      await servers.stop();
    }
  });
});

describe('event-intake observability', () => {
  it('continues the caller’s trace in a server span and counts every call by method and status', async () => {
    const servers = await startServers();
    try {
      await addTenant(servers.nc, 'shop');
      const intake = await startService('event-intake', servers, { OTEL_TRACES_EXPORTER: 'console' });
      const client = clients.intake(intake.address);
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parentSpanId = '00f067aa0ba902b7';
      const metadata = new grpc.Metadata();
      metadata.set('traceparent', `00-${traceId}-${parentSpanId}-01`);
      await callUnary<IngestResponse__Output>((done) =>
        client.Ingest({ tenantId: 'shop', events: [view('traced-1')] }, metadata, done)
      );
      await rpcError(ingest(client, 'shop', []));

      const spans = (): { name: string; trace_id: string; parent_span_id?: string; kind: string }[] =>
        intake
          .output()
          .split('\n')
          .filter((line) => line.includes('"msg":"span"'))
          .map((line) => JSON.parse(line) as { name: string; trace_id: string; parent_span_id?: string; kind: string });
      await waitFor('the Ingest span', () => spans().some((s) => s.trace_id === traceId));
      expect(spans().find((s) => s.trace_id === traceId)).toMatchObject({
        name: 'dmp.intake.v1.IntakeService/Ingest',
        kind: 'SERVER',
        parent_span_id: parentSpanId,
      });

      const method = { grpc_service: 'dmp.intake.v1.IntakeService', grpc_method: 'Ingest' };
      expect(await metricValue(intake.metricsPort, 'grpc_server_handled_total', { ...method, grpc_code: 'OK' })).toBe(
        1
      );
      expect(
        await metricValue(intake.metricsPort, 'grpc_server_handled_total', { ...method, grpc_code: 'INVALID_ARGUMENT' })
      ).toBe(1);
      expect(await metricValue(intake.metricsPort, 'grpc_server_handling_seconds_count', method)).toBe(2);
      expect(await metricValue(intake.metricsPort, 'intake_events_total', { status: 'EVENT_STATUS_ACCEPTED' })).toBe(1);
      client.close();
      await intake.stop();
    } finally {
      await servers.stop();
    }
  });
});
