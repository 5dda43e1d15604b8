import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

import { InvalidArgumentError, NotFoundError, type Logger, type Readiness } from '@dmp/runtime';

import { KvMirror } from './kv-mirror';
import { TENANT_ID_PATTERN } from './subjects';

export const TENANTS_BUCKET = 'dmp_tenants';

export interface TenantRecord {
  id: string;
  displayName: string;
  createdAt: string;
  /** Most events per second intake accepts for the tenant (per intake replica); the deployment default when absent. */
  eventsPerSecond?: number;
  /** Calls per second across replicas, by kind (serve: Recommend, Decide …; ingest: Ingest …); the deployment default when absent. */
  requestsPerSecond?: { serve?: number; ingest?: number };
}

/**
 * The tenants this deployment serves, kept in a NATS KV bucket so every replica of every service sees a
 * new tenant within milliseconds and nothing needs a restart. Lookups are in memory.
 */
export class TenantDirectory {
  private constructor(private readonly mirror: KvMirror<TenantRecord>) {}

  /** Opens the bucket, loads every tenant, then follows changes. Ready (for readiness) once loaded. */
  static async start(nc: NatsConnection, log: Logger, readiness: Readiness): Promise<TenantDirectory> {
    return new TenantDirectory(
      await KvMirror.start<TenantRecord>(nc, TENANTS_BUCKET, { name: 'tenants', log, readiness })
    );
  }

  has(tenantId: string): boolean {
    return this.mirror.get(tenantId) !== undefined;
  }

  get(tenantId: string): TenantRecord | undefined {
    return this.mirror.get(tenantId);
  }

  /** Checks a request's tenant_id: well-formed (INVALID_ARGUMENT) and known (NOT_FOUND). */
  require(tenantId: string, field = 'tenant_id'): TenantRecord {
    checkTenantId(tenantId, field);
    const tenant = this.mirror.get(tenantId);
    if (!tenant) throw new NotFoundError(`${field}: tenant "${tenantId}" not found`);
    return tenant;
  }

  list(): TenantRecord[] {
    return this.mirror.values();
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

/** Registers a tenant, or updates its settings; an existing tenant keeps its creation time. */
export async function createTenant(
  nc: NatsConnection,
  id: string,
  settings: {
    displayName?: string;
    eventsPerSecond?: number;
    requestsPerSecond?: { serve?: number; ingest?: number };
  } = {}
): Promise<TenantRecord> {
  checkTenantId(id, 'tenant');
  const kv = await openTenantsBucket(nc);
  const existing = await kv.get(id);
  const previous = existing?.operation === 'PUT' ? existing.json<TenantRecord>() : undefined;
  const record: TenantRecord = {
    id,
    displayName: settings.displayName ?? previous?.displayName ?? id,
    createdAt: previous?.createdAt ?? new Date().toISOString(),
    ...((settings.eventsPerSecond ?? previous?.eventsPerSecond) !== undefined && {
      eventsPerSecond: settings.eventsPerSecond ?? previous?.eventsPerSecond,
    }),
  };
  const requests = { ...previous?.requestsPerSecond, ...settings.requestsPerSecond };
  if (Object.keys(requests).length > 0) record.requestsPerSecond = requests;
  if (!previous || JSON.stringify(previous) !== JSON.stringify(record)) await kv.put(id, JSON.stringify(record));
  return record;
}
