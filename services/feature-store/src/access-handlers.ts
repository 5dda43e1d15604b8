import {
  ALL_TENANTS,
  callerKeyId,
  checkNewKey,
  mintApiKey,
  type ApiKeyDirectory,
  type ApiKeyRecord,
} from '@dmp/access';
import { unary, type AccessServiceHandlers, type ApiKey } from '@dmp/grpc';
import { checkTenantId, createTenant, type TenantDirectory } from '@dmp/messaging';
import type { NatsConnection } from '@nats-io/transport-node';
import type * as grpc from '@grpc/grpc-js';
import { InvalidArgumentError, NotFoundError, PermissionDeniedError } from '@dmp/runtime';

import { toTimestamp } from './features-reply';

export interface AccessDeps {
  nc: NatsConnection;
  tenants: TenantDirectory;
  keys: ApiKeyDirectory;
}

/**
 * The AccessService: tenants and API keys. Which caller may reach each RPC is the access interceptor's
 * business; what remains here is what a key may hand out (checkNewKey) and that keys stay in their tenant.
 */
export function accessHandlers(deps: AccessDeps): AccessServiceHandlers {
  /** The verified caller (the interceptor admitted it and named it in the metadata). */
  const caller = (call: { metadata: grpc.Metadata }): ApiKeyRecord => {
    const id = callerKeyId(call.metadata);
    const key = id === undefined ? undefined : deps.keys.get(id)?.record;
    if (!key) throw new PermissionDeniedError("the caller's API key is no longer known");
    return key;
  };
  const requireTenant = (tenantId: string): void => {
    if (tenantId === ALL_TENANTS) return;
    deps.tenants.require(tenantId);
  };

  return {
    CreateTenant: unary(async (request) => {
      checkTenantId(request.tenantId);
      const requests = {
        ...(request.serveRequestsPerSecond > 0 && { serve: request.serveRequestsPerSecond }),
        ...(request.ingestRequestsPerSecond > 0 && { ingest: request.ingestRequestsPerSecond }),
      };
      const tenant = await createTenant(deps.nc, request.tenantId, {
        ...(request.displayName !== '' && { displayName: request.displayName }),
        ...(request.eventsPerSecond > 0 && { eventsPerSecond: request.eventsPerSecond }),
        ...(Object.keys(requests).length > 0 && { requestsPerSecond: requests }),
      });
      return { tenantId: tenant.id, createdAt: toTimestamp(Date.parse(tenant.createdAt)) };
    }),

    CreateApiKey: unary(async (request, call) => {
      if (request.tenantId === '') throw new InvalidArgumentError('tenant_id', 'is required');
      requireTenant(request.tenantId);
      const fields = checkNewKey(
        {
          tenantId: request.tenantId,
          name: request.name,
          kind: request.kind,
          scopes: request.scopes,
          ...(request.expiresAt && { expiresAt: fromTimestamp(request.expiresAt) }),
          allowedOrigins: request.allowedOrigins,
          eventsPerSecond: request.eventsPerSecond,
          requestsPerSecond: request.requestsPerSecond,
        },
        caller(call)
      );
      const { token, record } = mintApiKey(fields);
      await deps.keys.put(record);
      return { key: token, apiKey: describe(record) };
    }),

    ListApiKeys: unary((request) => {
      if (request.tenantId === '') throw new InvalidArgumentError('tenant_id', 'is required');
      requireTenant(request.tenantId);
      const keys = request.tenantId === ALL_TENANTS ? deps.keys.list() : deps.keys.list(request.tenantId);
      keys.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
      return Promise.resolve({ apiKeys: keys.map(describe) });
    }),

    RevokeApiKey: unary(async (request) => {
      if (request.tenantId === '') throw new InvalidArgumentError('tenant_id', 'is required');
      if (request.keyId === '') throw new InvalidArgumentError('key_id', 'is required');
      const key = deps.keys.get(request.keyId)?.record;
      // A key of another tenant is "not found" for this one: its existence is not this tenant's business.
      if (!key || (request.tenantId !== ALL_TENANTS && key.tenantId !== request.tenantId)) {
        throw new NotFoundError(`key_id: no key "${request.keyId}" in tenant "${request.tenantId}"`);
      }
      const revoked: ApiKeyRecord = key.revokedAt ? key : { ...key, revokedAt: new Date().toISOString() };
      if (revoked !== key) await deps.keys.put(revoked);
      return { apiKey: describe(revoked) };
    }),
  };
}

function describe(record: ApiKeyRecord): ApiKey {
  const at = (iso: string | undefined) => (iso === undefined ? null : toTimestamp(Date.parse(iso)));
  return {
    id: record.id,
    tenantId: record.tenantId,
    kind: record.kind,
    scopes: record.scopes,
    name: record.name,
    createdAt: at(record.createdAt),
    createdBy: record.createdBy,
    expiresAt: at(record.expiresAt),
    revokedAt: at(record.revokedAt),
    allowedOrigins: record.allowedOrigins ?? [],
    eventsPerSecond: record.eventsPerSecond ?? 0,
    requestsPerSecond: record.requestsPerSecond ?? 0,
  };
}

function fromTimestamp(timestamp: { seconds: string | number; nanos: number }): Date {
  return new Date(Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1e6));
}
