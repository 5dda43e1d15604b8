import { dirname } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';

import type { ProtoGrpcType as DecisioningProto } from './gen/decisioning_service';
import type { ProtoGrpcType as EventProto } from './gen/event';
import type { ProtoGrpcType as FeatureStoreProto } from './gen/feature_store_service';
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
  'dmp/scoring/v1/scoring_service.proto',
  'dmp/decisioning/v1/decisioning_service.proto',
] as const;

/** Folder of the @dmp/protos package: the root for imports between .proto files. */
export const PROTOS_DIR = dirname(require.resolve('@dmp/protos/package.json'));

export type Protos = EventProto & IntakeProto & FeatureStoreProto & ScoringProto & DecisioningProto;

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
 * The protos as server reflection should describe them: with their declared snake_case field names
 * (the camelCase of LOADER_OPTIONS would leak into the descriptors), plus grpc.health.v1.
 */
export function reflectionDefinition(): protoLoader.PackageDefinition {
  reflected ??= protoLoader.loadSync([...PROTO_FILES, healthProtoPath], {
    ...LOADER_OPTIONS,
    keepCase: true,
    includeDirs: [PROTOS_DIR],
  });
  return reflected;
}
