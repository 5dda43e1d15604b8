import * as protobuf from 'protobufjs';

import { LOADER_OPTIONS, PROTOS_DIR, type DecisionRecord } from '@dmp/grpc';
import { decisionLogSubject, type JetStreamPublisher } from '@dmp/messaging';

import type { DecideRequest, DecideResult } from './campaigns/decide';

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => `${PROTOS_DIR}/${target}`;
root.loadSync('dmp/decisioning/v1/decision_record.proto', { keepCase: LOADER_OPTIONS.keepCase });
const DecisionRecordType = root.lookupType('dmp.decisioning.v1.DecisionRecord');

export function encodeDecisionRecord(record: DecisionRecord): Uint8Array {
  return DecisionRecordType.encode(DecisionRecordType.fromObject(record)).finish();
}

export function decodeDecisionRecord(bytes: Uint8Array): Record<string, unknown> {
  return DecisionRecordType.toObject(DecisionRecordType.decode(bytes), { longs: String, defaults: true });
}

/**
 * Every campaign decision goes to the DECISION_LOG stream (subject `decisionlog.v1.<tenant>.<subject token>`, deduplicated
 * on the decision id): offers, holdouts logged as if decided, and no-offers. Publishing does not hold up the
 * answer; a failure is counted (`onFailure`) and the decision stands.
 */
export class DecisionLog {
  constructor(
    private readonly publisher: Pick<JetStreamPublisher, 'publish'>,
    private readonly onFailure: (error: Error) => void
  ) {}

  log(kind: 'decide' | 'trigger', request: DecideRequest, result: DecideResult, triggerEventId = ''): void {
    const offer = result.offer;
    const campaignId = offer?.campaignId ?? result.holdoutCampaignId ?? '';
    const record: DecisionRecord = {
      decisionId: request.decisionId,
      tenantId: request.tenantId,
      subjectId: request.subjectId,
      kind,
      placement: request.placement,
      triggerEventId,
      campaignId,
      campaignVersion: offer?.campaignVersion ?? 0,
      creativeId: offer?.creativeId ?? '',
      channel: offer?.channel ?? request.channel,
      holdout: result.noOffer === 'holdout',
      noOffer: result.noOffer ?? '',
      contextualOnly: result.contextualOnly,
      score: offer?.score ?? 0,
      propensity: offer?.propensity ?? 0,
      modelVersion: offer?.modelVersion ?? '',
      refused: result.refused.map((r) => `${r.campaignId}:${r.kind}`),
      decidedAt: { seconds: Math.floor(request.nowMs / 1000), nanos: (request.nowMs % 1000) * 1e6 },
    };
    this.publisher
      .publish(
        decisionLogSubject(request.tenantId, request.subjectId),
        encodeDecisionRecord(record),
        request.decisionId
      )
      .catch((error: unknown) => this.onFailure(error as Error));
  }
}
