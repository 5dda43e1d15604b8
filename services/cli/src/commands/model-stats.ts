import { INTERACTION_EVENTS } from '@dmp/features';
import { ModelRegistry } from '@dmp/scorer';

import { printTable } from '../table';
import { eachInteraction, eachServedDecision } from '../tenant-streams';
import { connectNats } from '../nats';

/** An item used within this long after it was recommended counts for the list that showed it. */
const USED_WITHIN_MS = 24 * 3_600_000;

export interface ArmStats {
  version: string;
  /** champion, challenger n %, or '' (an earlier version). */
  serves: string;
  /** The version's hold-out NDCG from its card. */
  offlineNdcg?: number;
  decisions: number;
  items: number;
  impressions: number;
  clicks: number;
  conversions: number;
  /** Decisions after which the user used one of the items shown, within a day. */
  used: number;
}

/**
 * `dmp models stats NAME`: how each version of a Recommend model did online, from the streams of record: the
 * decisions it ranked (FEATURE_LOG, which names the version) and what followed them (EVENTS): impressions, clicks
 * and conversions that name the decision (`decision_id`), and whether the user used a recommended item within a
 * day. For `recommend-<tenant>` the tenant is the name's; for a shared model, --tenant says whose decisions.
 */
export async function modelStats(args: { natsUrl: string; name: string; tenant?: string }): Promise<ArmStats[]> {
  const tenant = args.tenant ?? /^recommend-(.+)$/.exec(args.name)?.[1];
  if (!tenant) throw new Error(`which tenant's decisions? ${args.name} is not a tenant's model: add --tenant`);
  const nc = await connectNats(args.natsUrl);
  try {
    const registry = await ModelRegistry.open(nc);
    const [model] = await registry.list(args.name);
    if (!model) throw new Error(`no model named ${args.name}`);
    const policy = model.policy;
    const roleOf = (version: string): string =>
      policy?.champion === version
        ? 'champion'
        : policy?.challenger?.version === version
          ? `challenger ${Math.round(policy.challenger.share * 1000) / 10}%`
          : '';
    const arms = new Map<string, ArmStats>(
      model.versions.map((v) => [
        v.version,
        {
          version: v.version,
          serves: roleOf(v.version),
          ...(v.metrics?.['ndcg'] !== undefined && { offlineNdcg: v.metrics['ndcg'] }),
          decisions: 0,
          items: 0,
          impressions: 0,
          clicks: 0,
          conversions: 0,
          used: 0,
        },
      ])
    );
    // Each decision: its version, and per user the items shown and when, for "used within a day".
    const versionOf = new Map<string, string>();
    const shown = new Map<string, { decisionId: string; atMs: number; items: Set<string> }[]>();
    await eachServedDecision(nc, tenant, (served) => {
      const arm = arms.get(served.modelVersion);
      if (served.decisionKind !== 'recommend' || !arm) return;
      arm.decisions++;
      arm.items += served.items.length;
      versionOf.set(served.decisionId, served.modelVersion);
      const atMs = served.servedAt
        ? Number(served.servedAt.seconds) * 1000 + Math.floor(served.servedAt.nanos / 1e6)
        : 0;
      const list = shown.get(served.userId) ?? [];
      list.push({ decisionId: served.decisionId, atMs, items: new Set(served.items.map((i) => i.itemId)) });
      shown.set(served.userId, list);
    });
    const usedAfter = new Set<string>();
    await eachInteraction(
      nc,
      tenant,
      (event) => {
        const named = event.properties['decision_id'];
        const version = typeof named === 'string' ? versionOf.get(named) : undefined;
        const arm = version ? arms.get(version) : undefined;
        if (arm && event.type === 'impression') arm.impressions++;
        if (arm && event.type === 'click') arm.clicks++;
        if (arm && (event.type === 'conversion' || event.type === 'purchase')) arm.conversions++;
        if (!INTERACTION_EVENTS.includes(event.type)) return;
        for (const decision of shown.get(event.subject) ?? []) {
          const after = event.occurredAtMs - decision.atMs;
          if (after > 0 && after <= USED_WITHIN_MS && event.itemIds.some((i) => decision.items.has(i)))
            usedAfter.add(decision.decisionId);
        }
      },
      [...INTERACTION_EVENTS, 'impression', 'conversion']
    );
    for (const decisionId of usedAfter) arms.get(versionOf.get(decisionId)!)!.used++;
    return [...arms.values()].filter((a) => a.decisions > 0 || a.serves !== '');
  } finally {
    await nc.close();
  }
}

export function printModelStats(arms: readonly ArmStats[]): void {
  const share = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(2)} %` : '');
  printTable(
    [
      'version',
      'serves',
      'decisions',
      'items',
      'impressions',
      'clicks',
      'ctr',
      'conversions',
      'used within a day',
      'offline ndcg',
    ],
    arms.map((a) => [
      a.version,
      a.serves,
      a.decisions,
      a.items,
      a.impressions,
      a.clicks,
      share(a.clicks, a.impressions),
      a.conversions,
      share(a.used, a.decisions),
      a.offlineNdcg?.toFixed(4) ?? '',
    ])
  );
}
