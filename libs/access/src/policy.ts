import type { Scope } from './api-keys';

/** Who may call an RPC: a key with one of `scopes`, for the tenant the request names. */
export interface Rule {
  scopes: readonly Scope[];
  /** The tenant a request names ('' when it names none; the handler then refuses it as invalid). */
  tenantOf: (request: unknown) => string;
  /** Admin changes: written to the audit log when they succeed. */
  audited?: boolean;
}

const tenantIdField = (request: unknown): string => {
  const tenantId = (request as { tenantId?: unknown } | null)?.tenantId;
  return typeof tenantId === 'string' ? tenantId : '';
};

const rule = (scopes: Scope | readonly Scope[], extra: Partial<Rule> = {}): Rule => ({
  scopes: typeof scopes === 'string' ? [scopes] : scopes,
  tenantOf: tenantIdField,
  ...extra,
});
const change = (scopes: Scope | readonly Scope[] = 'admin'): Rule => rule(scopes, { audited: true });

/**
 * The scope every RPC needs, by method path. A server refuses to start with an RPC missing here (fail
 * closed), and a test calls every RPC the servers expose with every scope.
 */
export const POLICY: Readonly<Record<string, Rule>> = {
  '/dmp.intake.v1.IntakeService/Ingest': rule('ingest'),
  '/dmp.intake.v1.IntakeService/IngestStream': rule('ingest'),
  '/dmp.intake.v1.IntakeService/UpsertItems': rule('ingest'),
  '/dmp.intake.v1.IntakeService/PutEventType': {
    ...change(),
    tenantOf: (request) => tenantIdField((request as { eventType?: unknown } | null)?.eventType),
  },
  '/dmp.intake.v1.IntakeService/ListEventTypes': rule('read'),

  '/dmp.features.v1.FeatureStoreService/GetFeatures': rule('serve'),
  '/dmp.features.v1.FeatureStoreService/PutFeatureSet': change(),
  '/dmp.features.v1.FeatureStoreService/ListFeatures': rule('read'),
  '/dmp.features.v1.FeatureStoreService/RebuildFeatures': change(),
  '/dmp.features.v1.FeatureStoreService/PutSimilarItems': change(),
  '/dmp.features.v1.FeatureStoreService/PutSegment': change(),
  '/dmp.features.v1.FeatureStoreService/ListSegments': rule('read'),
  '/dmp.features.v1.FeatureStoreService/GetSegments': rule('read'),
  '/dmp.features.v1.FeatureStoreService/SegmentSize': rule('read'),
  '/dmp.features.v1.FeatureStoreService/ListMembers': rule('read'),

  '/dmp.features.v1.ProfileService/ResolveProfile': rule('read'),
  '/dmp.features.v1.ProfileService/GetProfile': rule('read'),
  '/dmp.features.v1.ProfileService/DeleteProfile': change(),

  '/dmp.scoring.v1.ScoringService/Score': rule('serve'),

  '/dmp.decisioning.v1.DecisioningService/Recommend': rule('serve'),
  '/dmp.decisioning.v1.DecisioningService/NextContent': rule('serve'),
  '/dmp.decisioning.v1.DecisioningService/Decide': rule('serve'),
  '/dmp.decisioning.v1.DecisioningService/PutRecommendRules': change(),
  '/dmp.decisioning.v1.DecisioningService/GetRecommendRules': rule('read'),

  '/dmp.decisioning.v1.CampaignService/PutCampaign': change(),
  '/dmp.decisioning.v1.CampaignService/GetCampaign': rule('read'),
  '/dmp.decisioning.v1.CampaignService/ListCampaigns': rule('read'),
  '/dmp.decisioning.v1.CampaignService/SetCampaignStatus': change(),
  '/dmp.decisioning.v1.CampaignService/PutContactPolicy': change(),
  '/dmp.decisioning.v1.CampaignService/GetContactPolicy': rule('read'),
  '/dmp.decisioning.v1.CampaignService/GetCampaignStats': rule('read'),
  '/dmp.decisioning.v1.CampaignService/ExplainDecision': rule('read'),

  '/dmp.access.v1.AccessService/CreateTenant': change('platform'),
  '/dmp.access.v1.AccessService/CreateApiKey': change(['admin', 'platform']),
  '/dmp.access.v1.AccessService/ListApiKeys': rule(['admin', 'platform']),
  '/dmp.access.v1.AccessService/RevokeApiKey': change(['admin', 'platform']),
};

/** Probes and schema discovery: answered without a key (they reveal no tenant's data). */
export function isPublicMethod(path: string): boolean {
  return path.startsWith('/grpc.health.v1.') || path.startsWith('/grpc.reflection.');
}
