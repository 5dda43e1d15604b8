import { dirname } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import type { ProtoGrpcType as AccessProto } from './gen/access_service';
import type { ProtoGrpcType as CampaignProto } from './gen/campaign_service';
import type { ProtoGrpcType as DecisioningProto } from './gen/decisioning_service';
import { FILE_DESCRIPTOR_PROTOS_BASE64 } from './gen/descriptors';
import type { ProtoGrpcType as EventProto } from './gen/event';
import type { ProtoGrpcType as FeatureStoreProto } from './gen/feature_store_service';
import type { ProtoGrpcType as ProfileProto } from './gen/profile_service';
import type { ProtoGrpcType as IntakeProto } from './gen/intake_service';
import type { ProtoGrpcType as ScoringProto } from './gen/scoring_service';

/**
 * The one option set for loading protos at run time. `pnpm gen` passes the same flags to
 * proto-loader-gen-types (--longs=String --enums=String --defaults --oneofs), so the generated types
 * describe exactly the objects handlers receive. Field names are camelCase (keepCase off).
 */
export const LOADER_OPTIONS = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
} as const satisfies protoLoader.Options;

/** Every .proto file of the API, relative to the @dmp/protos package root. */
export const PROTO_FILES = [
  'dmp/events/v1/event.proto',
  'dmp/intake/v1/intake_service.proto',
  'dmp/features/v1/feature_store_service.proto',
  'dmp/features/v1/profile_service.proto',
  'dmp/scoring/v1/scoring_service.proto',
  'dmp/decisioning/v1/decisioning_service.proto',
  'dmp/decisioning/v1/campaign_service.proto',
  'dmp/access/v1/access_service.proto',
] as const;

/** Folder of the @dmp/protos package: the root for imports between .proto files. */
export const PROTOS_DIR = dirname(require.resolve('@dmp/protos/package.json'));

export type Protos = EventProto &
  IntakeProto &
  FeatureStoreProto &
  ProfileProto &
  ScoringProto &
  DecisioningProto &
  CampaignProto &
  AccessProto;

export interface LoadedProtos {
  packageDefinition: protoLoader.PackageDefinition;
  protos: Protos;
}

let loaded: LoadedProtos | undefined;
let reflected: protoLoader.PackageDefinition | undefined;

/** Loads (once per process) every API proto with the shared options. */
export function loadProtos(): LoadedProtos {
  if (!loaded) {
    const packageDefinition = protoLoader.loadSync([...PROTO_FILES], { ...LOADER_OPTIONS, includeDirs: [PROTOS_DIR] });
    loaded = { packageDefinition, protos: grpc.loadPackageDefinition(packageDefinition) as unknown as Protos };
  }
  return loaded;
}

/**
 * What server reflection serves: the API's file descriptors as buf compiled them (`pnpm gen`), plus
 * grpc.health.v1. @grpc/reflection reads only `fileDescriptorProtos` from a package definition, so this
 * is one entry holding them all; proto-loader's own descriptors would show grpcurl camelCase field names,
 * broken map entries and unresolvable type references.
 */
export function reflectionDefinition(): protoLoader.PackageDefinition {
  reflected ??= {
    'dmp.reflection': {
      fileDescriptorProtos: FILE_DESCRIPTOR_PROTOS_BASE64.map((b64) => Buffer.from(b64, 'base64')),
    },
  } as unknown as protoLoader.PackageDefinition;
  return reflected;
}
