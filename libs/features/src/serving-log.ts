import * as protobuf from 'protobufjs';

import { LOADER_OPTIONS, PROTOS_DIR, type ServedFeatures, type ServedFeatures__Output } from '@dmp/grpc';
import { subjectToken, type JetStreamPublisher } from '@dmp/messaging';

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => `${PROTOS_DIR}/${target}`;
root.loadSync('dmp/features/v1/served_features.proto', { keepCase: LOADER_OPTIONS.keepCase });
const ServedFeaturesType = root.lookupType('dmp.features.v1.ServedFeatures');

/** The subject of a user's logged vectors in the FEATURE_LOG stream. */
export function featureLogSubject(tenantId: string, userId: string): string {
  return `featurelog.v1.${tenantId}.${subjectToken(tenantId, userId)}`;
}

/** A decision's feature vectors: one row of `featureNames.length` values per returned item. */
export interface ServedVectors {
  decisionId: string;
  tenantId: string;
  userId: string;
  decisionKind: string;
  modelVersion: string;
  servedAtMs: number;
  featureNames: readonly string[];
  items: readonly { itemId: string; score: number; values: readonly number[] }[];
}

export function encodeServedFeatures(served: ServedVectors): Uint8Array {
  const message: ServedFeatures = {
    decisionId: served.decisionId,
    tenantId: served.tenantId,
    userId: served.userId,
    decisionKind: served.decisionKind,
    modelVersion: served.modelVersion,
    servedAt: { seconds: Math.floor(served.servedAtMs / 1000), nanos: (served.servedAtMs % 1000) * 1e6 },
    featureNames: [...served.featureNames],
    items: served.items.map((item, position) => ({
      itemId: item.itemId,
      position,
      score: item.score,
      values: [...item.values],
    })),
  };
  return ServedFeaturesType.encode(message).finish();
}

export function decodeServedFeatures(bytes: Uint8Array): ServedFeatures__Output {
  return ServedFeaturesType.toObject(ServedFeaturesType.decode(bytes), {
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  }) as ServedFeatures__Output;
}

/**
 * Logs the exact feature vectors a decision was made with to the FEATURE_LOG stream: the training set of
 * the next model, with the values as served rather than recomputed later (no training/serving skew).
 * Publishing does not delay the decision; the decision id is the message id, so a retry is stored once.
 * A vector that cannot be stored is counted by `onFailure` and dropped: the decision itself stands.
 * Decisions of one turn of the event loop are published together, at its end: the NATS client then writes
 * them to its socket at once (one write per call cost ~7 % of a Recommend's CPU).
 */
export class ServingLog {
  private pending: ServedVectors[] = [];

  constructor(
    private readonly publisher: JetStreamPublisher,
    private readonly onFailure: (error: Error) => void
  ) {}

  log(served: ServedVectors): void {
    if (this.pending.length === 0) setImmediate(() => this.flush());
    this.pending.push(served);
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    for (const served of batch) {
      this.publisher
        .publish(featureLogSubject(served.tenantId, served.userId), encodeServedFeatures(served), served.decisionId)
        .catch(this.onFailure);
    }
  }
}
