import { dirname, join } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { FileDescriptorProto } from 'protobufjs/ext/descriptor';

interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorMessage: string };
}

type ReflectionClient = grpc.Client & {
  ServerReflectionInfo(): grpc.ClientDuplexStream<Record<string, string>, ReflectionResponse>;
};

/** A grpcurl-style reflection client: asks the server itself what it serves. */
function reflectionClient(address: string): ReflectionClient {
  const protoDir = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');
  const definition = protoLoader.loadSync('grpc/reflection/v1/reflection.proto', { includeDirs: [protoDir] });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: new (a: string, c: grpc.ChannelCredentials) => ReflectionClient } } };
  };
  return new loaded.grpc.reflection.v1.ServerReflection(address, grpc.credentials.createInsecure());
}

async function ask(address: string, request: Record<string, string>): Promise<ReflectionResponse> {
  const client = reflectionClient(address);
  try {
    return await new Promise((resolve, reject) => {
      const call = client.ServerReflectionInfo();
      call.once('data', (response: ReflectionResponse) => {
        resolve(response);
        call.end();
      });
      call.once('error', reject);
      call.write(request);
    });
  } finally {
    client.close();
  }
}

/** Fully qualified names of the services the server lists, like `grpcurl list`. */
export async function listServices(address: string): Promise<string[]> {
  const response = await ask(address, { listServices: '*' });
  return (response.listServicesResponse?.service ?? []).map((s) => s.name).sort();
}

export interface FileDescriptor {
  name: string;
  messageType: MessageDescriptor[];
}

export interface MessageDescriptor {
  name: string;
  field: { name: string; typeName?: string }[];
  nestedType: (MessageDescriptor & { options?: { mapEntry?: boolean } })[];
}

/** The file declaring `symbol` and the files it imports, decoded, like `grpcurl describe`. */
export async function describeSymbol(address: string, symbol: string): Promise<FileDescriptor[]> {
  const response = await ask(address, { fileContainingSymbol: symbol });
  if (response.errorResponse) throw new Error(response.errorResponse.errorMessage);
  return (response.fileDescriptorResponse?.fileDescriptorProto ?? []).map(
    (bytes) => FileDescriptorProto.decode(bytes) as unknown as FileDescriptor
  );
}
