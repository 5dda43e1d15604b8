import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';

import type { Logger, Readiness } from '@dmp/runtime';

import { observabilityInterceptor } from './interceptors';
import { reflectionDefinition } from './load';
import { setInternalErrorLog } from './status';
import { serverCredentials, type TlsFiles } from './tls';

export interface ServiceBinding {
  /** Fully qualified name, e.g. "dmp.intake.v1.IntakeService". */
  name: string;
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  port: number;
  host?: string;
  services: ServiceBinding[];
  readiness: Readiness;
  log: Logger;
  /** Plaintext unless given. */
  tls?: TlsFiles;
  /** Run after the observability interceptor (e.g. access control), so their refusals are counted and traced. */
  interceptors?: grpc.ServerInterceptor[];
}

export interface GrpcServer {
  /** The bound port (the real one when 0 was asked for). */
  port: number;
  /** Stops taking calls, lets in-flight ones finish for up to `graceMs`, then cuts the rest off. */
  shutdown(graceMs: number): Promise<void>;
}

/** Name of the health entry that answers liveness probes: SERVING for as long as the process runs. */
export const LIVENESS_SERVICE = 'liveness';

const MiB = 1024 * 1024;

/**
 * Starts a gRPC server the one way every service does: our services, grpc.health.v1 mirroring readiness
 * ('' and each service name: readiness; 'liveness': liveness), server reflection, the observability
 * interceptor, explicit message size limits and connection ageing.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  setInternalErrorLog(options.log);
  const server = new grpc.Server({
    interceptors: [observabilityInterceptor, ...(options.interceptors ?? [])],
    // A request over 4 MiB is refused with RESOURCE_EXHAUSTED before it reaches a handler.
    'grpc.max_receive_message_length': 4 * MiB,
    'grpc.max_send_message_length': 16 * MiB,
    // Connections are recycled so clients re-resolve and spread over new pods (grpc-node #2265).
    'grpc.max_connection_age_ms': 5 * 60_000,
    'grpc.max_connection_age_grace_ms': 30_000,
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
  });

  for (const service of options.services) server.addService(service.definition, service.implementation);

  const health = new HealthImplementation({ '': 'NOT_SERVING', [LIVENESS_SERVICE]: 'SERVING' });
  health.addToServer(server);
  const serviceNames = options.services.map((s) => s.name);
  options.readiness.onChange((ready) => {
    const status = ready ? 'SERVING' : 'NOT_SERVING';
    health.setStatus('', status);
    for (const name of serviceNames) health.setStatus(name, status);
  });

  new ReflectionService(reflectionDefinition(), { services: [...serviceNames, 'grpc.health.v1.Health'] }).addToServer(
    server
  );

  const address = `${options.host ?? '0.0.0.0'}:${options.port}`;
  const credentials = await serverCredentials(options.tls);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, credentials, (error, bound) => (error ? reject(error) : resolve(bound)))
  );
  options.log.info('gRPC server listening', { port, services: serviceNames, tls: options.tls !== undefined });

  return {
    port,
    shutdown: (graceMs) =>
      new Promise<void>((resolve) => {
        // tryShutdown can wait forever on a vanished streaming client (grpc-node #1458): bound it.
        const timer = setTimeout(() => {
          options.log.warn('grace time over, cancelling remaining calls', { graceMs });
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
