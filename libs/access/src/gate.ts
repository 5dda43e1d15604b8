import { ALL_TENANTS, parseApiKey, secretMatches, type ApiKeyRecord } from './api-keys';
import type { Rule } from './policy';

/** A key as the gate holds it: the stored record with its instants parsed once. */
export interface ActiveKey {
  record: ApiKeyRecord;
  /** Refused from this instant on (Infinity: never). */
  expiresAtMs: number;
  revoked: boolean;
}

export function activeKey(record: ApiKeyRecord): ActiveKey {
  return {
    record,
    expiresAtMs: record.expiresAt === undefined ? Infinity : Date.parse(record.expiresAt),
    revoked: record.revokedAt !== undefined,
  };
}

export type Refusal = { code: 'UNAUTHENTICATED' | 'PERMISSION_DENIED'; message: string };
export type Admission = { key: ApiKeyRecord } | { refusal: Refusal };

const unauthenticated = (message: string): { refusal: Refusal } => ({ refusal: { code: 'UNAUTHENTICATED', message } });
const denied = (message: string): { refusal: Refusal } => ({ refusal: { code: 'PERMISSION_DENIED', message } });

/**
 * Decides who is calling and whether they may: pure logic over a key lookup, shared by the gRPC
 * interceptor and intake's HTTP door. Messages name what is wrong without echoing the secret.
 */
export class AccessGate {
  constructor(
    private readonly lookup: (id: string) => ActiveKey | undefined,
    private readonly now: () => number = Date.now
  ) {}

  /** The key an `authorization` value carries ("Bearer dmp_sk_…"), if it is genuine and in force. */
  authenticate(authorization: string | undefined): Admission {
    if (authorization === undefined || authorization === '') {
      return unauthenticated('missing API key: send "authorization: Bearer <key>"');
    }
    const token = authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : authorization.trim();
    const parts = parseApiKey(token);
    if (!parts) return unauthenticated('invalid API key: expected "Bearer dmp_sk_…" or "Bearer dmp_pk_…"');
    const key = this.lookup(parts.id);
    if (!key || key.record.kind !== parts.kind || !secretMatches(key.record, parts.secret)) {
      return unauthenticated(`invalid API key ${parts.id}`);
    }
    if (key.revoked) return unauthenticated(`API key ${parts.id} was revoked`);
    if (this.now() >= key.expiresAtMs) return unauthenticated(`API key ${parts.id} expired at ${key.record.expiresAt}`);
    return { key: key.record };
  }

  /** Whether `key` may call an RPC under `rule` (its scopes; publishable keys never reach gRPC). */
  permits(key: ApiKeyRecord, rule: Rule, method: string): Refusal | undefined {
    if (key.kind === 'publishable') {
      return denied(`API key ${key.id} is publishable: it only sends events to POST /v1/events`).refusal;
    }
    if (!rule.scopes.some((scope) => key.scopes.includes(scope))) {
      return denied(`API key ${key.id} lacks the ${rule.scopes.join(' or ')} scope that ${method} needs`).refusal;
    }
    return undefined;
  }

  /** Whether `key` acts for `tenantId` ('' is let through: the handler refuses it as a missing field). */
  coversTenant(key: ApiKeyRecord, tenantId: string): Refusal | undefined {
    if (tenantId === '' || key.tenantId === ALL_TENANTS || key.tenantId === tenantId) return undefined;
    return denied(`API key ${key.id} is not a key of tenant "${tenantId}"`).refusal;
  }
}
