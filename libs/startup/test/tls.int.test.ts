/**
 * TLS on a service's gRPC port (every service starts the same way, @dmp/startup): with certificates configured
 * and client certificates required (mTLS between services), a client with the CA and its certificate gets
 * answers; a plaintext client, one without a certificate and one trusting another CA get none. Probes move
 * to HTTP on the metrics port, which kubelet can reach without TLS.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { apiClients, type IngestResponse__Output, type TlsFiles } from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';

import {
  addTenant,
  callUnary,
  REPO_ROOT,
  startServers,
  startService,
  TEST_API_KEY,
  waitFor,
  type Servers,
} from '../../../test/harness';

const CERTS = join(REPO_ROOT, 'test', 'fixtures', 'tls');
const tls: TlsFiles = {
  certFile: join(CERTS, 'client.crt'),
  keyFile: join(CERTS, 'client.key'),
  caFile: join(CERTS, 'ca.crt'),
  requireClientCert: false,
};

let servers: Servers;
let intake: ServiceProcess;

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  intake = await startService(
    'event-intake',
    servers,
    {
      TLS_CERT_FILE: join(CERTS, 'server.crt'),
      TLS_KEY_FILE: join(CERTS, 'server.key'),
      TLS_CA_FILE: join(CERTS, 'ca.crt'),
      TLS_REQUIRE_CLIENT_CERT: 'true',
    },
    // Its gRPC health speaks TLS now: readiness is watched on the metrics port, as kubelet would.
    { waitServing: false }
  );
}, 60_000);

afterAll(async () => {
  await intake?.stop();
  await servers?.stop();
});

const ingest = (credentials: { tls?: TlsFiles; raw?: grpc.ChannelCredentials }): Promise<grpc.status> => {
  const request = {
    tenantId: 'shop',
    events: [{ eventId: `tls-${Math.random()}`, type: 'view', identities: { userId: 'u1' }, itemIds: ['i1'] }],
  };
  if (credentials.raw) {
    const client = new grpc.Client(intake.address, credentials.raw);
    const path = '/dmp.intake.v1.IntakeService/Ingest';
    return new Promise((resolve) =>
      client.makeUnaryRequest(
        path,
        () => Buffer.alloc(0),
        (b: Buffer) => b,
        request,
        { deadline: Date.now() + 3_000 },
        (error) => {
          client.close();
          resolve(error ? error.code : grpc.status.OK);
        }
      )
    );
  }
  const client = apiClients.intake(intake.address, {
    defaultDeadlineMs: 3_000,
    apiKey: TEST_API_KEY,
    ...(credentials.tls && { tls: credentials.tls }),
  });
  return callUnary<IngestResponse__Output>((done) => client.Ingest(request, done)).then(
    (response) => {
      client.close();
      expect(response.results[0]?.status).toBe('EVENT_STATUS_ACCEPTED');
      return grpc.status.OK;
    },
    (error: grpc.ServiceError) => {
      client.close();
      return error.code;
    }
  );
};

describe('TLS between services', () => {
  it('answers a client with the CA and a client certificate, and refuses the others', async () => {
    const metrics = `http://127.0.0.1:${intake.metricsPort}`;
    // Until the process listens, the connection is refused: not ready either.
    const ready = () =>
      fetch(`${metrics}/readyz`).then(
        (r) => r.status === 200,
        () => false
      );
    await waitFor('event-intake ready (GET /readyz)', ready);
    expect((await fetch(`${metrics}/livez`)).status).toBe(200);

    expect(await ingest({ tls }), 'mTLS client').toBe(grpc.status.OK);
    expect(await ingest({}), 'plaintext client').toBe(grpc.status.UNAVAILABLE);
    const ca = readFileSync(join(CERTS, 'ca.crt'));
    expect(await ingest({ raw: grpc.credentials.createSsl(ca) })).toBe(grpc.status.UNAVAILABLE);
    const stranger = readFileSync(join(CERTS, 'stranger.crt'));
    const clientKey = readFileSync(join(CERTS, 'client.key'));
    const clientCert = readFileSync(join(CERTS, 'client.crt'));
    expect(await ingest({ raw: grpc.credentials.createSsl(stranger, clientKey, clientCert) })).toBe(
      grpc.status.UNAVAILABLE
    );
  });
});
