import { randomUUID } from 'node:crypto';

import { DEFAULT_DEMO, demoEvents, ingestEvents } from '@dmp/demo-data';
import {
  callUnary,
  type GetRecommendRulesResponse__Output,
  type IngestResponse__Output,
  type NextContentResponse__Output,
  type PropertyValue,
  type PutRecommendRulesResponse__Output,
  type RecommendResponse__Output,
} from '@dmp/grpc';
import { createTenant, openTenantsBucket, type TenantRecord } from '@dmp/messaging';

import { auditCliChange } from '../audit';
import { decisioningClient, intakeClient } from '../clients';
import { jsonArgument } from '../json-argument';
import { printTable } from '../table';
import { connectNats } from '../nats';

/** Who an event is about: at least one of these (intake keys msisdn and email with its HMAC). */
export interface EventIdentities {
  userId?: string;
  anonymousId?: string;
  deviceId?: string;
  msisdn?: string;
  email?: string;
}

export async function sendEvent(args: {
  address?: string;
  tenant: string;
  type: string;
  identities: EventIdentities;
  items: string[];
  properties: Record<string, PropertyValue>;
  id?: string;
}): Promise<void> {
  const client = intakeClient(args.address);
  const eventId = args.id ?? randomUUID();
  const response = await callUnary<IngestResponse__Output>((done) =>
    client.Ingest(
      {
        tenantId: args.tenant,
        events: [
          {
            eventId,
            type: args.type,
            identities: args.identities,
            itemIds: args.items,
            properties: args.properties,
          },
        ],
      },
      done
    )
  );
  client.close();
  printTable(
    ['event_id', 'status', 'field', 'rule', 'reason'],
    response.results.map((r) => [r.eventId, String(r.status).replace('EVENT_STATUS_', ''), r.field, r.rule, r.reason])
  );
}

/**
 * `--prop name=value` as a typed property: `true`/`false` a boolean, a JSON number a number, anything else a
 * string; a value in double quotes (`--prop 'order_id="17"'`) is always the string inside them.
 */
export function parseProperty(text: string): [name: string, value: PropertyValue] | undefined {
  const equals = text.indexOf('=');
  if (equals <= 0) return undefined;
  const name = text.slice(0, equals);
  const raw = text.slice(equals + 1);
  if (raw === 'true' || raw === 'false') return [name, { boolValue: raw === 'true' }];
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return [name, { numberValue: Number(raw) }];
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return [name, { stringValue: raw.slice(1, -1) }];
  return [name, { stringValue: raw }];
}

export async function recommendCommand(args: {
  address?: string;
  tenant: string;
  user: string;
  n: number;
  currentItem?: string;
  exclude: string[];
}): Promise<void> {
  const client = decisioningClient(args.address);
  const response = await callUnary<RecommendResponse__Output>((done) =>
    client.Recommend(
      {
        tenantId: args.tenant,
        userId: args.user,
        n: args.n,
        excludeItemIds: args.exclude,
        context: { currentItemId: args.currentItem ?? '' },
      },
      done
    )
  );
  client.close();
  process.stdout.write(
    `decision ${response.decisionId}  model ${response.modelVersion || '(fallback order)'}  ` +
      `${response.personalized ? 'personalized' : 'non-personal'}` +
      `${response.fallback === 'FALLBACK_REASON_UNSPECIFIED' ? '' : `  ${response.fallback.replace('FALLBACK_REASON_', 'fallback: ').toLowerCase()}`}\n\n`
  );
  printTable(
    ['#', 'item', 'score', 'why'],
    response.items.map((item, i) => [
      i + 1,
      item.itemId,
      item.score.toFixed(4),
      item.reasons.map(reasonText).join('; '),
    ])
  );
}

/** `dmp rules get|put`: a tenant's recommendation rules, through the decisioning service (which validates them). */
export async function rulesCommand(args: { address?: string; tenant: string; put?: string }): Promise<void> {
  const client = decisioningClient(args.address);
  try {
    let rulesJson: string;
    if (args.put === undefined) {
      ({ rulesJson } = await callUnary<GetRecommendRulesResponse__Output>((done) =>
        client.GetRecommendRules({ tenantId: args.tenant }, done)
      ));
    } else {
      // A file name, or the JSON itself.
      const text = jsonArgument(args.put);
      ({ rulesJson } = await callUnary<PutRecommendRulesResponse__Output>((done) =>
        client.PutRecommendRules({ tenantId: args.tenant, rulesJson: text }, done)
      ));
    }
    process.stdout.write(`${JSON.stringify(JSON.parse(rulesJson), null, 2)}\n`);
  } finally {
    client.close();
  }
}

export async function nextContentCommand(args: {
  address?: string;
  tenant: string;
  user: string;
  n: number;
  currentItem?: string;
}): Promise<void> {
  const client = decisioningClient(args.address);
  const response = await callUnary<NextContentResponse__Output>((done) =>
    client.NextContent(
      { tenantId: args.tenant, userId: args.user, n: args.n, currentItemId: args.currentItem ?? '' },
      done
    )
  );
  client.close();
  const fallback =
    response.fallback === 'FALLBACK_REASON_UNSPECIFIED'
      ? ''
      : `  ${response.fallback.replace('FALLBACK_REASON_', 'fallback: ').toLowerCase()}`;
  process.stdout.write(`decision ${response.decisionId}${fallback}\n\n`);
  printTable(
    ['#', 'item', 'why'],
    response.items.map((item, i) => [
      i + 1,
      item.itemId,
      item.reasons.map((r) => (r.sourceItemId === item.itemId ? 'continue watching' : reasonText(r))).join('; '),
    ])
  );
}

/** A reason as a shop would word it. */
export function reasonText(r: RecommendResponse__Output['items'][number]['reasons'][number]): string {
  switch (r.code) {
    case 'REASON_CODE_CO_OCCURRENCE':
      return `because you used ${r.sourceItemId}`;
    case 'REASON_CODE_WATCHED_NEXT':
      return `viewers of ${r.sourceItemId} watched it next`;
    case 'REASON_CODE_SERIES_CONTINUATION':
      return `next after ${r.sourceItemId}`;
    case 'REASON_CODE_POPULAR_IN_CATEGORY':
      return `popular in ${r.category}`;
    case 'REASON_CODE_SIMILAR':
      return `similar to ${r.sourceItemId}`;
    case 'REASON_CODE_CATEGORY_AFFINITY':
      return `because you like ${r.category}`;
    case 'REASON_CODE_TRENDING':
      return 'trending';
    case 'REASON_CODE_NEW_ARRIVAL':
      return 'new';
    default:
      return 'popular';
  }
}

export async function tenantsCommand(args: {
  natsUrl: string;
  create?: string;
  eventsPerSecond?: number;
  requestsPerSecond?: { serve?: number; ingest?: number };
}): Promise<void> {
  const nc = await connectNats(args.natsUrl);
  try {
    if (args.create) {
      const tenant = args.create;
      await createTenant(nc, tenant, {
        ...(args.eventsPerSecond !== undefined && { eventsPerSecond: args.eventsPerSecond }),
        ...(args.requestsPerSecond && { requestsPerSecond: args.requestsPerSecond }),
      });
      await auditCliChange(nc, { action: 'tenants/create', target: tenant, tenantId: tenant });
    }
    const kv = await openTenantsBucket(nc);
    const records: TenantRecord[] = [];
    for await (const key of await kv.keys()) {
      const entry = await kv.get(key);
      if (entry?.operation === 'PUT') records.push(entry.json<TenantRecord>());
    }
    records.sort((a, b) => a.id.localeCompare(b.id));
    printTable(
      ['tenant', 'name', 'events/s', 'serve req/s', 'ingest req/s', 'created'],
      records.map((r) => [
        r.id,
        r.displayName,
        r.eventsPerSecond ?? 'default',
        r.requestsPerSecond?.serve ?? 'default',
        r.requestsPerSecond?.ingest ?? 'default',
        r.createdAt,
      ])
    );
  } finally {
    await nc.close();
  }
}

export async function demoLoad(args: {
  address?: string;
  tenant: string;
  seed: number;
  events: number;
}): Promise<void> {
  const client = intakeClient(args.address);
  const summary = await ingestEvents(
    client,
    args.tenant,
    demoEvents({ ...DEFAULT_DEMO, seed: args.seed, events: args.events, endMs: Date.now() }),
    (sent) => process.stderr.write(`\r${sent} sent`)
  );
  client.close();
  process.stderr.write('\n');
  printTable(['accepted', 'duplicate', 'rejected'], [[summary.accepted, summary.duplicate, summary.rejected]]);
}
