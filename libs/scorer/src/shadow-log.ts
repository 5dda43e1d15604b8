import { randomUUID } from 'node:crypto';

import * as protobuf from 'protobufjs';

import { LOADER_OPTIONS, PROTOS_DIR, type ShadowScores, type ShadowScores__Output } from '@dmp/grpc';
import type { JetStreamPublisher } from '@dmp/messaging';

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => `${PROTOS_DIR}/${target}`;
root.loadSync('dmp/scoring/v1/shadow_scores.proto', { keepCase: LOADER_OPTIONS.keepCase });
const ShadowScoresType = root.lookupType('dmp.scoring.v1.ShadowScores');

/** The subject of a model's shadow scores in the SCORE_LOG stream. */
export function scoreLogSubject(modelName: string): string {
  return `scorelog.v1.${modelName}`;
}

/** One call's rows scored by a shadow version, next to what was served. */
export interface ShadowRecord {
  modelName: string;
  servedVersion: string;
  shadowVersion: string;
  servedScores: Float32Array;
  shadowScores: Float32Array;
  subjectId: string;
  requestId: string;
  scoredAtMs: number;
}

/** Where shadow scores go. */
export interface ShadowSink {
  write(record: ShadowRecord): void;
}

export function encodeShadowScores(r: ShadowRecord): Uint8Array {
  const message: ShadowScores = {
    modelName: r.modelName,
    servedVersion: r.servedVersion,
    shadowVersion: r.shadowVersion,
    servedScores: Array.from(r.servedScores),
    shadowScores: Array.from(r.shadowScores),
    subjectId: r.subjectId,
    requestId: r.requestId,
    scoredAt: { seconds: Math.floor(r.scoredAtMs / 1000), nanos: (r.scoredAtMs % 1000) * 1e6 },
  };
  return ShadowScoresType.encode(message).finish();
}

export function decodeShadowScores(bytes: Uint8Array): ShadowScores__Output {
  return ShadowScoresType.toObject(ShadowScoresType.decode(bytes), {
    longs: String,
    enums: String,
    defaults: true,
  }) as ShadowScores__Output;
}

/**
 * Writes shadow scores to the SCORE_LOG stream. A record that cannot be stored is counted by `onFailure`
 * and dropped: shadow scoring never affects what callers get.
 */
export class JetStreamShadowSink implements ShadowSink {
  constructor(
    private readonly publisher: JetStreamPublisher,
    private readonly onFailure: (error: Error) => void
  ) {}

  write(record: ShadowRecord): void {
    // The message id makes a retried publish of the same call's shadow scores land once.
    const id = `${record.modelName}:${record.shadowVersion}:${record.requestId || randomUUID()}`;
    this.publisher.publish(scoreLogSubject(record.modelName), encodeShadowScores(record), id).catch(this.onFailure);
  }
}
