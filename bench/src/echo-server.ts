/**
 * The limit: a bare grpc-js unary server answering with N bytes (`node echo-server.js`; prints its port). With
 * `--access`, the same server behind the services' access interceptor and the key in ECHO_KEY_RECORD: the
 * difference between the two is what checking a key costs a call.
 */
import { join } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import { AccessGate, accessInterceptor, activeKey, type ApiKeyRecord } from '@dmp/access';

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
  const rule = { scopes: ['serve'] as const, tenantOf: () => '' };
  return accessInterceptor(new AccessGate((id) => keys.get(id)), undefined, { '/dmp.bench.v1.EchoService/Echo': rule });
}
