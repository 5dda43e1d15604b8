import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * What a key may do. They do not imply one another: a dashboard gets `read`, a marketer's tool `read` and
 * `admin`, a shop's backend `serve` and `ingest`.
 * - ingest: send events and items;
 * - serve: Recommend, NextContent, Decide, GetFeatures, Score;
 * - read: list, get and stats;
 * - admin: change campaigns, segments, rules, feature sets, event types, profiles and erasure, keys;
 * - platform: create tenants and keys for any tenant (the operator of the deployment).
 */
export const SCOPES = ['ingest', 'serve', 'read', 'admin', 'platform'] as const;
export type Scope = (typeof SCOPES)[number];

/** A key for every tenant (the operator's, or a service's own such as delivery's). */
export const ALL_TENANTS = '*';

/**
 * secret: kept on servers (gRPC and HTTP), any scopes.
 * publishable: shipped in web pages and apps, so public by nature: ingest only, and only from its origins.
 */
export type KeyKind = 'secret' | 'publishable';

/** A key as stored: the secret only as its SHA-256, never in clear. */
export interface ApiKeyRecord {
  /** Public part of the key, shown by `dmp keys list` and written in the audit log as "who". */
  id: string;
  /** The tenant it acts for, or ALL_TENANTS. */
  tenantId: string;
  kind: KeyKind;
  scopes: Scope[];
  /** What it is for, e.g. "shop backend". */
  name: string;
  /** Hex SHA-256 of the secret part. The secret is 192 random bits, so a fast hash is enough (no salt or KDF). */
  secretSha256: string;
  createdAt: string;
  /** Key id (or "dmp up", "bootstrap") that created it. */
  createdBy: string;
  /** Refused from this instant on; absent: never expires. */
  expiresAt?: string;
  /** Refused since; the record stays so that audit entries keep naming it. */
  revokedAt?: string;
  /** Publishable keys: the browser origins (scheme://host[:port]) it is accepted from. */
  allowedOrigins?: string[];
  /** Publishable keys: events per second accepted with it, across replicas (its own quota). */
  eventsPerSecond?: number;
  /** Calls per second made with it, across replicas; absent: only the tenant's quota applies. */
  requestsPerSecond?: number;
}

const PREFIX: Record<KeyKind, string> = { secret: 'dmp_sk', publishable: 'dmp_pk' };
const KEY_PATTERN = /^dmp_(sk|pk)_([a-z0-9]{12})_([0-9a-f]{48})$/;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new key: the token to hand out once, and the record to store. */
export function mintApiKey(fields: Omit<ApiKeyRecord, 'id' | 'secretSha256' | 'createdAt'> & { now?: Date }): {
  token: string;
  record: ApiKeyRecord;
} {
  const { now = new Date(), ...rest } = fields;
  const id = Array.from(randomBytes(12), (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
  const secret = randomBytes(24).toString('hex');
  return {
    token: `${PREFIX[fields.kind]}_${id}_${secret}`,
    record: { id, ...rest, secretSha256: sha256(secret), createdAt: now.toISOString() },
  };
}

/** The record of a key whose token already exists (dmp up keeps its dev key across runs). */
export function apiKeyRecordFor(
  token: string,
  fields: Omit<ApiKeyRecord, 'id' | 'kind' | 'secretSha256' | 'createdAt'> & { now?: Date }
): ApiKeyRecord {
  const parts = parseApiKey(token);
  if (!parts) throw new Error('not an API key: expected dmp_sk_… or dmp_pk_…');
  const { now = new Date(), ...rest } = fields;
  return { id: parts.id, kind: parts.kind, ...rest, secretSha256: sha256(parts.secret), createdAt: now.toISOString() };
}

/** The parts of a token, or undefined when it is not shaped like one of ours. */
export function parseApiKey(token: string): { kind: KeyKind; id: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(token);
  if (!match) return undefined;
  return { kind: match[1] === 'sk' ? 'secret' : 'publishable', id: match[2]!, secret: match[3]! };
}

/** Whether `secret` is the one `record` was minted with (constant time). */
export function secretMatches(record: ApiKeyRecord, secret: string): boolean {
  const expected = Buffer.from(record.secretSha256, 'hex');
  const actual = createHash('sha256').update(secret).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
