import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';

import {
  ALL_TENANTS,
  apiKeyRecordFor,
  auditSubject,
  mintApiKey,
  SCOPES,
  storeApiKey,
  type AuditRecord,
  type Scope,
} from '@dmp/access';
import {
  callUnary,
  type ApiKey__Output,
  type CreateApiKeyResponse__Output,
  type ListApiKeysResponse__Output,
  type RevokeApiKeyResponse__Output,
} from '@dmp/grpc';

import { auditCliChange } from '../audit';
import { accessClient } from '../clients';
import { keptApiKey } from '../dev-keys';
import { printTable } from '../table';
import { connectNats } from '../nats';

const date = (timestamp: { seconds: string } | null): string =>
  timestamp ? new Date(Number(timestamp.seconds) * 1000).toISOString().replace('.000Z', 'Z') : '';

function printKeys(keys: ApiKey__Output[]): void {
  printTable(
    ['id', 'tenant', 'kind', 'scopes', 'name', 'created', 'by', 'expires', 'revoked', 'origins'],
    keys.map((k) => [
      k.id,
      k.tenantId,
      k.kind,
      k.scopes.join(','),
      k.name,
      date(k.createdAt),
      k.createdBy,
      date(k.expiresAt),
      date(k.revokedAt),
      k.allowedOrigins.join(','),
    ])
  );
}

/** `dmp keys create|list|revoke`: a tenant's API keys, through AccessService (feature-store's address). */
export async function keysCommand(args: {
  action: 'create' | 'list' | 'revoke';
  address?: string;
  tenant: string;
  name?: string;
  scopes?: string[];
  publishable?: boolean;
  origins?: string[];
  /** Publishable keys: events per second; secret keys: calls per second. */
  rate?: number;
  expires?: Date;
  keyId?: string;
}): Promise<void> {
  const client = accessClient(args.address);
  try {
    if (args.action === 'create') {
      const created = await callUnary<CreateApiKeyResponse__Output>((done) =>
        client.CreateApiKey(
          {
            tenantId: args.tenant,
            name: args.name ?? '',
            kind: args.publishable ? 'publishable' : 'secret',
            scopes: args.scopes ?? [],
            allowedOrigins: args.origins ?? [],
            eventsPerSecond: args.publishable ? (args.rate ?? 0) : 0,
            requestsPerSecond: args.publishable ? 0 : (args.rate ?? 0),
            ...(args.expires && { expiresAt: { seconds: Math.floor(args.expires.getTime() / 1000), nanos: 0 } }),
          },
          done
        )
      );
      printKeys([created.apiKey!]);
      process.stdout.write(`\n${created.key}\n\nKeep it now: only its hash is stored, it cannot be shown again.\n`);
    } else if (args.action === 'list') {
      const listed = await callUnary<ListApiKeysResponse__Output>((done) =>
        client.ListApiKeys({ tenantId: args.tenant }, done)
      );
      printKeys(listed.apiKeys);
    } else {
      const revoked = await callUnary<RevokeApiKeyResponse__Output>((done) =>
        client.RevokeApiKey({ tenantId: args.tenant, keyId: args.keyId ?? '' }, done)
      );
      printKeys([revoked.apiKey!]);
    }
  } finally {
    client.close();
  }
}

/**
 * `dmp keys bootstrap`: a key for every tenant, stored straight into NATS, where no key exists yet to ask a
 * service with (the operator's first platform key, delivery's own ingest key). With `file`, the key kept there
 * (made the first time) is stored again, as `dmp up` does with its dev key.
 */
export async function bootstrapKey(args: {
  natsUrl: string;
  name: string;
  scopes: string[];
  file?: string;
}): Promise<void> {
  const bad = args.scopes.find((scope) => !(SCOPES as readonly string[]).includes(scope));
  if (bad !== undefined) throw new Error(`--scope ${bad} is not one of ${SCOPES.join(', ')}`);
  const scopes = (args.scopes.length > 0 ? [...new Set(args.scopes)] : ['platform']) as Scope[];
  const fields = { tenantId: ALL_TENANTS, scopes, name: args.name, createdBy: 'bootstrap' };
  const mint = () => mintApiKey({ kind: 'secret', ...fields }).token;
  const token = args.file === undefined ? mint() : keptApiKey(args.file, mint).key;
  const record = apiKeyRecordFor(token, fields);
  const nc = await connectNats(args.natsUrl);
  try {
    await storeApiKey(nc, record);
    await auditCliChange(nc, { action: 'keys/bootstrap', target: record.id });
  } finally {
    await nc.close();
  }
  process.stdout.write(
    args.file === undefined
      ? `${token}\n\nKey ${record.id} (every tenant; ${scopes.join(', ')}). Keep it now: only its hash is stored.\n`
      : `key ${record.id} from ${args.file} stored (every tenant; ${scopes.join(', ')})\n`
  );
}

/** `dmp audit --tenant T`: the tenant's last admin changes, oldest first, from the AUDIT stream. */
export async function auditCommand(args: { natsUrl: string; tenant: string; last: number }): Promise<void> {
  const nc = await connectNats(args.natsUrl);
  try {
    const filter = auditSubject(args.tenant);
    const jsm = await jetstreamManager(nc);
    const pending = await jsm.streams.info('AUDIT', { subjects_filter: filter }).then(
      (info) => info.state.subjects?.[filter] ?? 0,
      () => 0
    );
    if (pending === 0) return void process.stdout.write(`no admin changes recorded for tenant "${args.tenant}"\n`);
    const consumer = await jetstream(nc).consumers.get('AUDIT', {
      filter_subjects: [filter],
      deliver_policy: DeliverPolicy.All,
    });
    const records: AuditRecord[] = [];
    for await (const message of await consumer.fetch({ max_messages: pending, expires: 5_000 })) {
      records.push(message.json<AuditRecord>());
      if (records.length >= pending) break;
    }
    const versions = (r: AuditRecord) =>
      r.versionAfter === undefined ? '' : `${r.versionBefore ?? '-'} -> ${r.versionAfter}`;
    printTable(
      ['at', 'key', 'key name', 'action', 'target', 'version'],
      records.slice(-args.last).map((r) => [r.at, r.keyId, r.keyName, r.action, r.target ?? '', versions(r)])
    );
  } finally {
    await nc.close();
  }
}
