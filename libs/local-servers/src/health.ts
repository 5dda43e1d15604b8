import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';

type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

interface HealthClient extends grpc.Client {
  Check(
    request: { service: string },
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: { status: ServingStatus }) => void
  ): void;
}

let HealthClientCtor: (new (address: string, credentials: grpc.ChannelCredentials) => HealthClient) | undefined;

function healthClientCtor(): new (address: string, credentials: grpc.ChannelCredentials) => HealthClient {
  if (!HealthClientCtor) {
    const definition = protoLoader.loadSync(protoPath, { enums: String });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      grpc: { health: { v1: { Health: new (address: string, credentials: grpc.ChannelCredentials) => HealthClient } } };
    };
    HealthClientCtor = loaded.grpc.health.v1.Health;
  }
  return HealthClientCtor;
}

/**
 * Asks a server's grpc.health.v1 service for the status of `service` ('' = readiness).
 * Resolves 'UNREACHABLE' when the server does not answer within `timeoutMs`.
 */
export async function checkHealth(
  address: string,
  service = '',
  timeoutMs = 1_000
): Promise<ServingStatus | 'UNREACHABLE'> {
  const client = new (healthClientCtor())(address, grpc.credentials.createInsecure());
  try {
    return await new Promise((resolve) =>
      client.Check({ service }, { deadline: Date.now() + timeoutMs }, (error, response) =>
        resolve(error ? 'UNREACHABLE' : (response?.status ?? 'UNKNOWN'))
      )
    );
  } finally {
    client.close();
  }
}

/** Polls readiness until SERVING; throws after `timeoutMs` with the last status seen. */
export async function waitServing(address: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let status: string = 'UNREACHABLE';
  while (Date.now() < deadline) {
    status = await checkHealth(address);
    if (status === 'SERVING') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${address} not SERVING after ${timeoutMs} ms (last: ${status})`);
}
