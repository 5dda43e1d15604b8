import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

import { InvalidArgumentError, NotFoundError, type Logger, type Readiness } from '@dmp/runtime';

import { TENANT_ID_PATTERN } from './subjects';

export const TENANTS_BUCKET = 'dmp_tenants';

export interface TenantRecord {
  id: string;
  displayName: string;
  createdAt: string;
}

/**
 * The tenants this deployment serves, kept in a NATS KV bucket so every replica of every service sees a
 * new tenant within milliseconds and nothing needs a restart. Lookups are in memory.
 */
export class TenantDirectory {
  private readonly tenants = new Map<string, TenantRecord>();

  /** Opens the bucket, loads every tenant, then follows changes. Ready (for readiness) once loaded. */
  static async start(nc: NatsConnection, log: Logger, readiness: Readiness): Promise<TenantDirectory> {
    readiness.require('tenants');
    const kv = await openTenantsBucket(nc);
    const directory = new TenantDirectory();
    const initialCount = (await kv.status()).values;
    const watch = await kv.watch();
    let loaded = false;
    const markLoaded = (): void => {
      loaded = true;
      readiness.set('tenants', true);
      log.info('tenant directory loaded', { tenants: directory.tenants.size });
    };
    if (initialCount === 0) markLoaded();
    void (async () => {
      for await (const entry of watch) {
        if (entry.operation === 'PUT') directory.tenants.set(entry.key, entry.json<TenantRecord>());
        else directory.tenants.delete(entry.key);
        if (!loaded && entry.delta === 0) markLoaded();
      }
    })();
    return directory;
  }

  has(tenantId: string): boolean {
    return this.tenants.has(tenantId);
  }

  /** Checks a request's tenant_id: well-formed (INVALID_ARGUMENT) and known (NOT_FOUND). */
  require(tenantId: string, field = 'tenant_id'): void {
    checkTenantId(tenantId, field);
    if (!this.tenants.has(tenantId)) throw new NotFoundError(`${field}: tenant "${tenantId}" not found`);
  }

  list(): TenantRecord[] {
    return [...this.tenants.values()];
  }
}

export function checkTenantId(tenantId: string, field = 'tenant_id'): void {
  if (tenantId === '') throw new InvalidArgumentError(field, 'is required');
  if (!TENANT_ID_PATTERN.test(tenantId)) {
    throw new InvalidArgumentError(field, 'must be 1-32 lowercase letters, digits or dashes');
  }
}

export async function openTenantsBucket(nc: NatsConnection): Promise<KV> {
  return new Kvm(nc).create(TENANTS_BUCKET, { history: 5 });
}

/** Registers a tenant (idempotent: an existing tenant keeps its record). */
export async function createTenant(nc: NatsConnection, id: string, displayName = id): Promise<TenantRecord> {
  checkTenantId(id, 'tenant');
  const kv = await openTenantsBucket(nc);
  const existing = await kv.get(id);
  if (existing && existing.operation === 'PUT') return existing.json<TenantRecord>();
  const record: TenantRecord = { id, displayName, createdAt: new Date().toISOString() };
  await kv.put(id, JSON.stringify(record));
  return record;
}
