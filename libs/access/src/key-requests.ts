import { InvalidArgumentError, PermissionDeniedError } from '@dmp/runtime';

import { ALL_TENANTS, SCOPES, type ApiKeyRecord, type KeyKind, type Scope } from './api-keys';

export interface NewKeyRequest {
  tenantId: string;
  name: string;
  kind: string;
  scopes: string[];
  expiresAt?: Date;
  allowedOrigins: string[];
  eventsPerSecond: number;
  requestsPerSecond: number;
}

/** scheme://host[:port], as a browser sends it in Origin. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

/**
 * Checks a request for a new key against what the caller may hand out: only the platform makes keys for
 * every tenant or with the platform scope; publishable keys are ingest-only and bound to origins.
 * Returns the record's fields (the caller's id as creator).
 */
export function checkNewKey(
  request: NewKeyRequest,
  caller: ApiKeyRecord,
  now = new Date()
): Omit<ApiKeyRecord, 'id' | 'secretSha256' | 'createdAt'> {
  const kind: KeyKind = request.kind === '' ? 'secret' : (request.kind as KeyKind);
  if (kind !== 'secret' && kind !== 'publishable') {
    throw new InvalidArgumentError('kind', `must be "secret" or "publishable", got "${request.kind}"`);
  }
  const name = request.name.trim();
  if (name.length < 1 || name.length > 100) throw new InvalidArgumentError('name', 'must be 1-100 characters');
  for (const scope of request.scopes) {
    if (!(SCOPES as readonly string[]).includes(scope)) {
      throw new InvalidArgumentError('scopes', `"${scope}" is not one of ${SCOPES.join(', ')}`);
    }
  }
  const scopes = [...new Set(request.scopes as Scope[])];
  if (request.expiresAt && request.expiresAt.getTime() <= now.getTime()) {
    throw new InvalidArgumentError('expires_at', 'must be in the future');
  }
  const forAllTenants = request.tenantId === ALL_TENANTS;
  if ((forAllTenants || scopes.includes('platform')) && !caller.scopes.includes('platform')) {
    throw new PermissionDeniedError(`API key ${caller.id} lacks the platform scope that keys for every tenant need`);
  }
  if (scopes.includes('platform') && !forAllTenants) {
    throw new InvalidArgumentError('scopes', 'platform keys are for every tenant: tenant_id "*"');
  }
  const common = {
    tenantId: request.tenantId,
    kind,
    name,
    createdBy: caller.id,
    ...(request.expiresAt && { expiresAt: request.expiresAt.toISOString() }),
    ...(request.requestsPerSecond > 0 && { requestsPerSecond: request.requestsPerSecond }),
  };
  if (kind === 'secret') {
    if (scopes.length === 0) throw new InvalidArgumentError('scopes', `name at least one of ${SCOPES.join(', ')}`);
    if (request.allowedOrigins.length > 0) {
      throw new InvalidArgumentError('allowed_origins', 'only publishable keys are bound to origins');
    }
    return { ...common, scopes };
  }
  if (scopes.some((scope) => scope !== 'ingest')) {
    throw new InvalidArgumentError('scopes', 'publishable keys can only ingest: they are public by nature');
  }
  if (forAllTenants) throw new InvalidArgumentError('tenant_id', 'a publishable key belongs to one tenant');
  if (request.allowedOrigins.length === 0) {
    throw new InvalidArgumentError(
      'allowed_origins',
      'name the origins (e.g. https://shop.example) browsers send from'
    );
  }
  const origins = request.allowedOrigins.map((origin) => origin.trim().toLowerCase().replace(/\/$/, ''));
  const bad = origins.find((origin) => !ORIGIN.test(origin));
  if (bad !== undefined) {
    throw new InvalidArgumentError('allowed_origins', `"${bad}" is not an origin like https://shop.example[:port]`);
  }
  return {
    ...common,
    scopes: ['ingest'],
    allowedOrigins: [...new Set(origins)],
    ...(request.eventsPerSecond > 0 && { eventsPerSecond: request.eventsPerSecond }),
  };
}
