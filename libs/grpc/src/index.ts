export { apiClients, callUnary, createClient, type ClientOptions } from './client';
export {
  apiKeyInterceptor,
  defaultDeadlineInterceptor,
  observabilityInterceptor,
  traceContextInterceptor,
} from './interceptors';
export { loadProtos, LOADER_OPTIONS, PROTO_FILES, PROTOS_DIR, type LoadedProtos, type Protos } from './load';
export {
  LIVENESS_SERVICE,
  startGrpcServer,
  type GrpcServer,
  type GrpcServerOptions,
  type ServiceBinding,
} from './server';
export { clientStreaming, isServiceError, RETRY_AFTER_MS, serverStreaming, toStatus, unary } from './status';
export { channelCredentials, serverCredentials, tlsFilesFromEnv, type TlsFiles } from './tls';
export * from './types';
