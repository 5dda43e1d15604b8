import { readFileSync } from 'node:fs';

import {
  callUnary,
  type FeatureValue__Output,
  type GetFeaturesResponse__Output,
  type ListFeaturesResponse__Output,
  type PutFeatureSetResponse__Output,
  type RebuildFeaturesResponse__Output,
} from '@dmp/grpc';

import { featureStoreClient } from '../clients';
import { printTable } from '../table';

export type EntityArg =
  | { kind: 'ENTITY_TYPE_USER'; id: string }
  | { kind: 'ENTITY_TYPE_ITEM'; id: string }
  | { kind: 'ENTITY_TYPE_CATEGORY'; id: string }
  | { kind: 'ENTITY_TYPE_USER_CATEGORY'; id: string }
  | { kind: 'ENTITY_TYPE_TENANT'; id: '*' };

/** `dmp features get`: the named features of one entity, or all of its kind. */
export async function getFeatures(args: {
  address?: string;
  tenant: string;
  entity: EntityArg;
  features: string[];
}): Promise<void> {
  const client = featureStoreClient(args.address);
  try {
    // Definitions say how to show a value: the scores of last-N lists and last-seen values are times.
    const list = await callUnary<ListFeaturesResponse__Output>((done) =>
      client.ListFeatures({ tenantId: args.tenant }, done)
    );
    const kinds = new Map(
      list.features.map((f) => [
        f.name,
        (JSON.parse(f.definitionJson) as { aggregation?: { kind?: string } }).aggregation?.kind,
      ])
    );
    const names =
      args.features.length > 0
        ? args.features
        : list.features.filter((f) => f.entityType === args.entity.kind).map((f) => f.name);
    const response = await callUnary<GetFeaturesResponse__Output>((done) =>
      client.GetFeatures(
        {
          tenantId: args.tenant,
          entityType: args.entity.kind,
          entityIds: [args.entity.id],
          featureNames: names,
        },
        done
      )
    );
    const nowMs = Date.now();
    printTable(
      ['feature', 'status', 'value', 'updated'],
      (response.entities[0]?.values ?? []).map((v, i) => [
        names[i]!,
        String(v.status).replace('FEATURE_STATUS_', ''),
        formatValue(v, kinds.get(names[i]!), nowMs),
        v.eventTime ? new Date(Number(v.eventTime.seconds) * 1000).toISOString() : '',
      ])
    );
  } finally {
    client.close();
  }
}

/** A value as a person reads it: times as times or ages, lists shortened to their first entries. */
export function formatValue(v: FeatureValue__Output, kind: string | undefined, nowMs: number): string {
  if (v.value === 'numberValue') {
    const n = v.numberValue!;
    return kind === 'last_seen' ? new Date(n).toISOString() : String(Number(n.toPrecision(6)));
  }
  if (v.value !== 'scoredItemListValue') return '';
  const items = v.scoredItemListValue?.items ?? [];
  const shown = items
    .slice(0, 8)
    .map((s) =>
      kind === 'last_n' ? `${s.itemId} (${age(nowMs - s.score)} ago)` : `${s.itemId}:${Number(s.score.toPrecision(4))}`
    );
  return shown.join(' ') + (items.length > shown.length ? ` … (${items.length})` : '');
}

function age(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3_600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

/** `dmp features list`: the default features and the tenant's own. */
export async function listFeatures(args: { address?: string; tenant: string }): Promise<void> {
  const client = featureStoreClient(args.address);
  try {
    const response = await callUnary<ListFeaturesResponse__Output>((done) =>
      client.ListFeatures({ tenantId: args.tenant }, done)
    );
    printTable(
      ['feature', 'entity', 'owner', 'aggregation', 'description'],
      response.features.map((f) => {
        const definition = JSON.parse(f.definitionJson) as { aggregation: Record<string, unknown> };
        const { kind, ...rest } = definition.aggregation;
        const params = Object.entries(rest).map(([k, v]) => `${k}=${String(v)}`);
        return [
          f.name,
          String(f.entityType).replace('ENTITY_TYPE_', '').toLowerCase(),
          f.default ? 'default' : args.tenant,
          `${String(kind)}${params.length ? ` ${params.join(' ')}` : ''}`,
          f.description,
        ];
      })
    );
  } finally {
    client.close();
  }
}

/** `dmp features put`: stores the tenant's own feature set (a JSON file); every replica picks it up. */
export async function putFeatures(args: { address?: string; tenant: string; file: string }): Promise<void> {
  let text: string;
  try {
    text = readFileSync(args.file, 'utf8');
  } catch (error) {
    throw new Error(`--file: cannot read ${args.file} (${(error as Error).message})`);
  }
  const client = featureStoreClient(args.address);
  try {
    const response = await callUnary<PutFeatureSetResponse__Output>((done) =>
      client.PutFeatureSet({ tenantId: args.tenant, featureSetJson: text }, done)
    );
    process.stdout.write(
      `stored version ${response.version} of ${args.tenant}'s features: ${response.featureNames.join(', ') || '(none)'}\n` +
        `new features start empty; fill them from history with: dmp features rebuild --tenant ${args.tenant}\n`
    );
  } finally {
    client.close();
  }
}

/** `dmp features rebuild`: replays the event stream into a new build and switches readers to it. */
export async function rebuildFeatures(args: { address?: string; tenant: string; sinceMs?: number }): Promise<void> {
  const client = featureStoreClient(args.address);
  const started = Date.now();
  process.stdout.write(`rebuilding ${args.tenant}'s features (live traffic keeps flowing) …\n`);
  try {
    const response = await callUnary<RebuildFeaturesResponse__Output>((done) =>
      client.RebuildFeatures(
        {
          tenantId: args.tenant,
          ...(args.sinceMs !== undefined && {
            since: { seconds: String(Math.floor(args.sinceMs / 1000)), nanos: 0 },
          }),
        },
        { deadline: Date.now() + 6 * 3_600_000 },
        done
      )
    );
    const from = response.replayedFrom
      ? new Date(Number(response.replayedFrom.seconds) * 1000).toISOString()
      : '(no events)';
    process.stdout.write(
      `done in ${((Date.now() - started) / 1000).toFixed(1)} s: readers use ${response.build} ` +
        `(was ${response.previousBuild}, now deleted); replayed ${response.eventsReplayed} events stored since ${from}, ` +
        `${response.eventsAlreadyApplied} of them already written by the live consumer\n`
    );
  } finally {
    client.close();
  }
}

/** "2026-11-01T00:00:00Z" or an age such as "7d", "12h", "30m" → epoch ms. */
export function parseSince(text: string, now = Date.now()): number {
  const age = /^(\d{1,6})(m|h|d)$/.exec(text);
  if (age) return now - Number(age[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 'm' | 'h' | 'd'];
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`--since must be a time such as 2026-11-01T00:00:00Z or an age such as 7d`);
  return ms;
}
