import type { NatsConnection } from '@nats-io/transport-node';

import { AbortedError, type Logger, type Readiness } from '@dmp/runtime';

import { KvMirror } from './kv-mirror';

/** A parsed config document; `document` is what is stored, with its `version`. */
export interface Versioned {
  document: Record<string, unknown>;
}

/**
 * Per-tenant config entries (campaigns, segments) in a NATS KV bucket, key `<tenant>.<id>`, followed live by
 * every replica, with 20 revisions kept as the audit trail. Each write is validated by `parse`, given the
 * next `version`, and compare-and-set against the revision it read, so two editors cannot overwrite each
 * other unseen. A tenant's list is kept until one of its entries changes: the request path never scans.
 */
export class TenantConfig<T extends Versioned> {
  private readonly byTenant = new Map<string, T[]>();

  private constructor(
    private readonly mirror: KvMirror<T>,
    private readonly parse: (raw: unknown) => T
  ) {
    mirror.onChange((key) => this.byTenant.delete(key.slice(0, key.indexOf('.'))));
  }

  static async start<T extends Versioned>(
    nc: NatsConnection,
    bucket: string,
    options: { name: string; log: Logger; readiness: Readiness; parse: (raw: unknown) => T }
  ): Promise<TenantConfig<T>> {
    const mirror = await KvMirror.start<T>(nc, bucket, { ...options, kv: { history: 20 } });
    return new TenantConfig(mirror, options.parse);
  }

  /** The tenant's entries, by id. */
  forTenant(tenantId: string): readonly T[] {
    let list = this.byTenant.get(tenantId);
    if (!list) {
      const prefix = `${tenantId}.`;
      list = this.mirror
        .keys()
        .filter((key) => key.startsWith(prefix))
        .sort()
        .map((key) => this.mirror.get(key)!);
      this.byTenant.set(tenantId, list);
    }
    return list;
  }

  get(tenantId: string, id: string): T | undefined {
    return this.mirror.get(`${tenantId}.${id}`);
  }

  /** Tenants with at least one entry. */
  tenants(): string[] {
    return [...new Set(this.mirror.keys().map((key) => key.slice(0, key.indexOf('.'))))];
  }

  /**
   * Stores `next(current document)` as the entry's next version; `expectedVersion` (0: any) must be the
   * current one, else AbortedError. Resolves once this replica follows the new version.
   */
  async change(
    tenantId: string,
    id: string,
    expectedVersion: number,
    next: (current: Record<string, unknown> | undefined) => Record<string, unknown>
  ): Promise<T> {
    const key = `${tenantId}.${id}`;
    const entry = await this.mirror.kv.get(key);
    const current = entry?.operation === 'PUT' ? (entry.json<Record<string, unknown>>() ?? undefined) : undefined;
    const currentVersion = typeof current?.['version'] === 'number' ? current['version'] : 0;
    if (expectedVersion !== 0 && expectedVersion !== currentVersion) {
      throw new AbortedError(`${id} is at version ${currentVersion}, not ${expectedVersion}; reread it`);
    }
    const stored = this.parse({ ...next(current), version: currentVersion + 1 });
    let revision: number;
    try {
      const json = JSON.stringify(stored.document);
      revision = entry
        ? await this.mirror.kv.update(key, json, entry.revision)
        : await this.mirror.kv.create(key, json);
    } catch {
      throw new AbortedError(`${id} changed while this write was made; reread it and retry`);
    }
    await this.mirror.reached(revision);
    return stored;
  }
}
