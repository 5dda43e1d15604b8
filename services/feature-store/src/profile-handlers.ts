import type { Redis } from 'ioredis';

import {
  buildPrefix,
  readConsentStatements,
  type FeatureCatalog,
  type FeatureReader,
  type IdentityGraph,
  type SegmentMemberships,
} from '@dmp/features';
import { unary, type ProfileServiceHandlers } from '@dmp/grpc';
import type { TenantDirectory } from '@dmp/messaging';
import { InvalidArgumentError, UnavailableError } from '@dmp/runtime';

import { toTimestamp } from './features-reply';
import type { ErasureReport } from './profile-erasure';

// Identifiers as the feature store keys them: 1 to 256 visible ASCII characters, as intake accepts ids.
const IDENTIFIER = /^[\x21-\x7e]{1,256}$/;

export interface ProfileDeps {
  tenants: TenantDirectory;
  redis: Redis;
  identity: IdentityGraph;
  reader: FeatureReader;
  catalog: FeatureCatalog;
  memberships: SegmentMemberships;
  erase: (tenantId: string, identifier: string, reason: string) => Promise<ErasureReport>;
}

export function profileHandlers(deps: ProfileDeps): ProfileServiceHandlers {
  /** The profile of a request's identifier, and all its identifiers. */
  const resolve = async (request: { tenantId: string; identifier: string }) => {
    deps.tenants.require(request.tenantId);
    if (!IDENTIFIER.test(request.identifier))
      throw new InvalidArgumentError('identifier', 'must be 1-256 visible ASCII characters, e.g. "u1" or "anon:c1"');
    const profileId = await deps.identity.profileOf(request.tenantId, request.identifier).catch(unavailable);
    const identifiers = await deps.identity.identifiersOf(request.tenantId, profileId).catch(unavailable);
    return { profileId, identifiers };
  };

  return {
    ResolveProfile: unary(resolve),

    GetProfile: unary(async (request) => {
      const { profileId, identifiers } = await resolve(request);
      const t = request.tenantId;
      const names = [...deps.catalog.featuresFor(t).features.values()]
        .filter((f) => f.entity === 'user')
        .map((f) => f.name);
      const [consent, segments, features] = await Promise.all([
        readConsentStatements(deps.redis, buildPrefix(t, deps.catalog.activeBuild(t)), profileId),
        deps.memberships.segmentsOf(t, profileId),
        deps.reader.profile(t, profileId, names),
      ]).catch(unavailable);
      return {
        profileId,
        identifiers,
        consent: consent.map((c) => ({
          purpose: c.purpose,
          granted: c.granted,
          source: c.source,
          statedAt: toTimestamp(c.atMs),
        })),
        segments: segments.sort(),
        features: Object.fromEntries(features),
      };
    }),

    DeleteProfile: unary(async (request) => {
      deps.tenants.require(request.tenantId);
      if (!IDENTIFIER.test(request.identifier))
        throw new InvalidArgumentError('identifier', 'must be 1-256 visible ASCII characters, e.g. "u1" or "anon:c1"');
      if (request.reason.length > 200) throw new InvalidArgumentError('reason', 'must be at most 200 characters');
      const report = await deps.erase(request.tenantId, request.identifier, request.reason).catch(unavailable);
      return {
        record: {
          erasureId: report.erasureId,
          tenantId: report.tenantId,
          subjectTokens: report.subjectTokens,
          reason: report.reason,
          erasedAt: toTimestamp(report.erasedAtMs),
          identifiers: report.identifiers,
          keysDeleted: report.keysDeleted,
          segmentsLeft: report.segmentsLeft,
          messagesPurged: Object.fromEntries(Object.entries(report.messagesPurged).map(([s, n]) => [s, String(n)])),
        },
      };
    }),
  };
}

/** Redis or NATS failures are the store's outage, not the caller's mistake. */
function unavailable(error: unknown): never {
  if (error instanceof UnavailableError) throw error;
  throw new UnavailableError('the profile store cannot be reached; retry shortly', { cause: error });
}
