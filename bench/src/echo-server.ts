/**
 * The limit: a bare grpc-js unary server answering with N bytes (`node echo-server.js`; prints its port). With
 * `--access`, the same server behind the services' access interceptor, the key in ECHO_KEY_RECORD and a tenant
 * quota: the difference between the two is what checking a key and a quota costs a call.
 */
import { join } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import { AccessGate, accessInterceptor, activeKey, RequestQuotas, type ApiKeyRecord } from '@dmp/access';

const definition = protoLoader.loadSync('echo.proto', { includeDirs: [join(__dirname, '..', 'proto')] });
const { EchoService } = (
  grpc.loadPackageDefinition(definition) as unknown as {
    dmp: { bench: { v1: { EchoService: { service: grpc.ServiceDefinition } } } };
  }
).dmp.bench.v1;

const payloads = new Map<number, Buffer>();
const server = new grpc.Server(process.argv[2] === '--access' ? { interceptors: [echoAccess()] } : {});
server.addService(EchoService.service, {
  Echo: (call: grpc.ServerUnaryCall<{ responseBytes: number }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
    const size = call.request.responseBytes;
    let payload = payloads.get(size);
    if (!payload) payloads.set(size, (payload = Buffer.alloc(size, 7)));
    callback(null, { payload });
  },
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stdout.write(`${port}\n`);
});
process.once('SIGTERM', () => server.forceShutdown());

function echoAccess(): grpc.ServerInterceptor {
  const record = JSON.parse(process.env['ECHO_KEY_RECORD'] ?? '') as ApiKeyRecord;
  const keys = new Map([[record.id, activeKey(record)]]);
  // Every call names tenant "bench", whose quota (far above any rate reached here) is checked as on our path.
  const rule = { scopes: ['serve'] as const, tenantOf: () => 'bench' };
  const quotas = new RequestQuotas({ tenantRate: () => 1e9, replicas: () => 1 });
  return accessInterceptor(new AccessGate((id) => keys.get(id)), {
    policy: { '/dmp.bench.v1.EchoService/Echo': rule },
    quotas,
  });
}
