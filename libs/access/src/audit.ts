import { ALL_TENANTS } from './api-keys';
import type { AdminChange } from './interceptor';

/** One admin change, as the AUDIT stream keeps it. Never holds request bodies: an erasure names no subject. */
export interface AuditRecord {
  at: string;
  /** Who: the key's id and name. */
  keyId: string;
  keyName: string;
  /** The tenant changed, or "*" for platform-wide changes. */
  tenantId: string;
  /** Service/Method, e.g. "CampaignService/PutCampaign". */
  action: string;
  /** What was changed: a campaign, segment, key or event type id, an erasure id, a feature build. */
  target?: string;
  /** The version replaced and the version now in force, where the thing changed has versions. */
  versionBefore?: number;
  versionAfter?: number;
}

/** audit.v1.<tenant>; platform-wide changes under audit.v1._platform (no tenant id has an underscore). */
export function auditSubject(tenantId: string): string {
  return `audit.v1.${tenantId === ALL_TENANTS || tenantId === '' ? '_platform' : tenantId}`;
}

type Fields = Record<string, unknown>;
const asFields = (value: unknown): Fields => (value !== null && typeof value === 'object' ? (value as Fields) : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const count = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
};

/** The first document a message carries as JSON text (campaign_json, segment_json, rules_json …). */
function jsonDocument(message: Fields): Fields {
  for (const [name, value] of Object.entries(message)) {
    if (!name.endsWith('Json') || typeof value !== 'string') continue;
    try {
      return asFields(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return {};
}

/**
 * The audit record of a successful admin change. Only ids and versions are taken from the messages, by
 * name: never identifiers of people, never documents as a whole.
 */
export function auditRecord(change: AdminChange, now = new Date()): AuditRecord {
  const request = asFields(change.request);
  const response = asFields(change.response);
  const document = { ...jsonDocument(request), ...jsonDocument(response) };
  const target =
    text(request['campaignId']) ??
    text(request['keyId']) ??
    text(request['segmentId']) ??
    text(document['id']) ??
    text(asFields(request['eventType'])['name']) ??
    text(asFields(response['apiKey'])['id']) ??
    text(asFields(response['record'])['erasureId']) ??
    text(response['build']) ??
    (change.method.endsWith('/CreateTenant') ? text(request['tenantId']) : undefined);
  const versionAfter = count(document['version']) ?? count(response['version']);
  const versionBefore =
    count(request['expectedVersion']) ?? (versionAfter && versionAfter > 1 ? versionAfter - 1 : undefined);
  return {
    at: now.toISOString(),
    keyId: change.key.id,
    keyName: change.key.name,
    tenantId: change.tenantId || change.key.tenantId,
    action: change.method.slice(change.method.lastIndexOf('.') + 1),
    ...(target !== undefined && { target }),
    ...(versionBefore !== undefined && { versionBefore }),
    ...(versionAfter !== undefined && { versionAfter }),
  };
}
