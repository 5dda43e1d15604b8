import { randomUUID } from 'node:crypto';

import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';

import {
  buildPrefix,
  featureKeys,
  profileKeysIn,
  type FeatureCatalog,
  type IdentityGraph,
  type SegmentMemberships,
} from '@dmp/features';
import { subjectMessageFilters, subjectToken } from '@dmp/messaging';
import { metricsRegistry } from '@dmp/telemetry';

const erasures = new Counter({
  name: 'feature_store_profile_erasures_total',
  help: 'Profiles erased by DeleteProfile.',
  registers: [metricsRegistry],
});

export interface ErasureReport {
  erasureId: string;
  tenantId: string;
  subjectTokens: string[];
  reason: string;
  erasedAtMs: number;
  identifiers: number;
  keysDeleted: number;
  segmentsLeft: number;
  messagesPurged: Record<string, number>;
}

export interface ErasureDeps {
  redis: Redis;
  identity: IdentityGraph;
  memberships: Pick<SegmentMemberships, 'erase'>;
  catalog: Pick<FeatureCatalog, 'writeTargets'>;
  /** Deletes a stream's messages on subjects matching the filter; how many. */
  purge: (stream: string, filter: string) => Promise<number>;
  /** Keeps the audit record (the ERASURES stream). */
  audit: (report: ErasureReport) => Promise<void>;
}

/**
 * Erases a profile (right to erasure, GDPR art. 17 / 152-FZ art. 21). In this order, so that nothing can
 * come back meanwhile:
 * 1. tombstones for every identifier, and the profile out of the identity graph: from here on an event about
 *    them that happened before now is dropped, by the identity step and by the writer's own check. They do
 *    not expire (intake accepts events of any age since 2000), and hold no identifier, only its token;
 * 2. segment memberships, after an erasure mark in their shard (an evaluation in flight sees it and writes nothing);
 * 3. features, consent and user×category state in every build;
 * 4. the subscriber's messages in every stream that files them by subject token.
 * Then the audit record on ERASURES: what was deleted and when, the subject named by token only. Decisioning
 * erases its own state about the subscriber from it (services/decisioning/src/erasures.ts).
 */
export async function eraseProfile(
  deps: ErasureDeps,
  tenantId: string,
  identifier: string,
  reason: string,
  nowMs = Date.now()
): Promise<ErasureReport> {
  const profile = await deps.identity.profileOf(tenantId, identifier);
  const identifiers = await deps.identity.identifiersOf(tenantId, profile);
  let keysDeleted = await deps.identity.bury(tenantId, profile, identifiers, nowMs);

  let segmentsLeft = 0;
  for (const id of identifiers) segmentsLeft += await deps.memberships.erase(tenantId, id, nowMs);

  // A merged-away identifier's state moved into the profile; its own keys are gone, but look anyway.
  for (const { build, features } of deps.catalog.writeTargets(tenantId)) {
    const prefix = buildPrefix(tenantId, build);
    for (const id of identifiers) {
      const categories = await deps.redis.smembers(featureKeys.userCategories(prefix, id));
      const keys = profileKeysIn(prefix, id, features.features.values(), categories, nowMs);
      for (let i = 0; i < keys.length; i += 500) keysDeleted += await deps.redis.del(...keys.slice(i, i + 500));
    }
  }

  const messagesPurged: Record<string, number> = {};
  const subjectTokens = identifiers.map((id) => subjectToken(tenantId, id));
  for (const token of subjectTokens) {
    for (const { stream, filter } of subjectMessageFilters(tenantId, token)) {
      messagesPurged[stream] = (messagesPurged[stream] ?? 0) + (await deps.purge(stream, filter));
    }
  }

  const report: ErasureReport = {
    erasureId: randomUUID(),
    tenantId,
    subjectTokens,
    reason,
    erasedAtMs: nowMs,
    identifiers: identifiers.length,
    keysDeleted,
    segmentsLeft,
    messagesPurged,
  };
  await deps.audit(report);
  erasures.inc();
  return report;
}
