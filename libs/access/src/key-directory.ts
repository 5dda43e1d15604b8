import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

import { KvMirror } from '@dmp/messaging';
import type { Logger, Readiness } from '@dmp/runtime';

import { activeKey, type ActiveKey } from './gate';
import type { ApiKeyRecord } from './api-keys';

/** Every key of every tenant, by key id; records hold only the secrets' hashes. */
export const API_KEYS_BUCKET = 'dmp_api_keys';

export function openApiKeysBucket(nc: NatsConnection): Promise<KV> {
  return new Kvm(nc).create(API_KEYS_BUCKET, { history: 5 });
}

/**
 * The keys, mirrored in memory on every replica: a key created or revoked anywhere is in force here as soon
 * as the KV watch delivers it (milliseconds; a replica cut off from NATS is NOT_SERVING meanwhile).
 */
export class ApiKeyDirectory {
  private origins: ReadonlySet<string> | undefined;

  private constructor(private readonly mirror: KvMirror<ActiveKey>) {
    mirror.onChange(() => (this.origins = undefined));
  }

  static async start(nc: NatsConnection, log: Logger, readiness: Readiness): Promise<ApiKeyDirectory> {
    const mirror = await KvMirror.start<ActiveKey>(nc, API_KEYS_BUCKET, {
      name: 'api keys',
      log,
      readiness,
      parse: (raw) => activeKey(raw as ApiKeyRecord),
    });
    return new ApiKeyDirectory(mirror);
  }

  get(id: string): ActiveKey | undefined {
    return this.mirror.get(id);
  }

  /** Every origin some publishable key in force accepts events from: what CORS preflights are answered for. */
  browserOrigins(now = Date.now()): ReadonlySet<string> {
    this.origins ??= new Set(
      this.mirror
        .values()
        .filter((key) => key.record.kind === 'publishable' && !key.revoked && key.expiresAtMs > now)
        .flatMap((key) => key.record.allowedOrigins ?? [])
    );
    return this.origins;
  }

  list(tenantId?: string): ApiKeyRecord[] {
    return this.mirror
      .values()
      .map((key) => key.record)
      .filter((record) => tenantId === undefined || record.tenantId === tenantId);
  }

  /** Stores a record and returns once this replica's mirror has it (read your own write). */
  async put(record: ApiKeyRecord): Promise<void> {
    await this.mirror.reached(await this.mirror.kv.put(record.id, JSON.stringify(record)));
  }
}

/** Stores a key without a running service (dmp up, the bootstrap job, tests): straight into the bucket. */
export async function storeApiKey(nc: NatsConnection, record: ApiKeyRecord): Promise<void> {
  await (await openApiKeysBucket(nc)).put(record.id, JSON.stringify(record));
}
