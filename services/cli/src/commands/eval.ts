import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { ingestEvents, type DemoEvent } from '@dmp/demo-data';
import { callUnary, type RecommendResponse__Output } from '@dmp/grpc';
import { createTenant } from '@dmp/messaging';

import { decisioningClient, intakeClient } from '../clients';
import {
  fromParts,
  leaveLastOut,
  withoutUnseenItems,
  parseInteractions,
  temporalSplit,
  type Interaction,
  type Split,
} from '../eval/interactions';
import {
  EASE_MAX_ITEMS,
  easeLists,
  Incidence,
  itemKnnLists,
  popularityLists,
  type BaselineLists,
} from '../eval/baselines';
import { rankingMetrics, type RankingMetrics } from '../eval/metrics';
import { featuresCaughtUp } from '../features-caught-up';
import { printTable } from '../table';
import { buildSimilarItems } from './similar';
import { train, type Holdout } from './train';
import { connectNats } from '../nats';

export interface ReplayOptions {
  natsUrl: string;
  intakeAddress?: string;
  decisioningAddress?: string;
  /** The interaction log, or its training part when `testFile` is given. */
  interactionsFile: string;
  testFile?: string;
  split: 'temporal' | 'leave-last-out';
  /** Temporal split: the share of interactions, latest first, that is test. */
  testFraction: number;
  k: number;
  /** The event type each interaction is replayed as. */
  eventType: string;
  /** A fresh tenant by default, so that nothing else shapes its features. */
  tenant?: string;
  /** Judge at most this many test users (a seeded sample), 0: all. */
  maxUsers: number;
  /** Build the item-kNN similarity table from the replayed part before asking (`dmp similar build`). */
  similar?: boolean;
  /** Train the tenant's own model on the replayed part (`dmp train`) and wait until decisioning serves it. */
  train?: boolean;
  /** Rated data: keep an interaction only when its value is at least this (both parts). */
  threshold?: number;
  /** Leave out test items the training part never saw (by default they stay, and count as misses for all). */
  dropUnseenItems?: boolean;
  featureStoreAddress?: string;
  log?: (line: string) => void;
}

export interface ReplayReport {
  tenant: string;
  trainInteractions: number;
  testUsers: number;
  catalog: number;
  recommend: RankingMetrics & { personalizedShare: number; failed: number };
  /** Popularity, item-kNN and EASE^R (when the catalog allows), computed offline on the same split. */
  baselines: (RankingMetrics & { name: string; detail: string })[];
  /** EASE^R's reason for being absent, when it is. */
  skipped: string[];
  /** With --train: what the trainer made of the replayed part. */
  training?: { gate: string; published?: string; chosen?: string; holdout: Holdout; seconds: number };
}

/** The baseline with the best ndcg (then precision): the one Recommend has to beat. */
export function bestBaseline(report: ReplayReport): ReplayReport['baselines'][number] {
  return [...report.baselines].sort((a, b) => b.ndcg - a.ndcg || b.precision - a.precision)[0]!;
}

/**
 * Offline evaluation through the live system: replays the training part of an interaction log through
 * intake in time order (shifted so that its last event happened a second ago: windowed features are
 * relative to now), waits until the feature store has applied all of it, asks Recommend for every test
 * user, and scores the lists against what the users did next, beside a popularity baseline computed from
 * the same training part.
 */
export async function evalReplay(options: ReplayOptions): Promise<ReplayReport> {
  const log = options.log ?? (() => undefined);
  const split = readSplit(options);
  const tenant = options.tenant ?? `eval-${randomBytes(4).toString('hex')}`;
  const nc = await connectNats(options.natsUrl);
  const intake = intakeClient(options.intakeAddress);
  const decisioning = decisioningClient(options.decisioningAddress);
  try {
    await createTenant(nc, tenant, { displayName: 'dmp eval replay', eventsPerSecond: 1_000_000 });
    const run = randomBytes(4).toString('hex');
    const shift = Date.now() - 1_000 - (split.train.at(-1)?.atMs ?? Date.now());
    const earliest = Date.parse('2000-01-02T00:00:00Z'); // intake refuses anything older
    const events = split.train.map((i, n): DemoEvent => ({
      eventId: `eval-${run}-${n}`,
      type: options.eventType as DemoEvent['type'],
      userId: i.user,
      itemIds: [i.item],
      occurredAtMs: Math.max(earliest, i.atMs + shift),
    }));
    log(`replaying ${events.length} interactions into tenant ${tenant} …`);
    const summary = await ingestEvents(intake, tenant, events);
    if (summary.rejected > 0) log(`  ${summary.rejected} interactions were rejected by intake`);
    await featuresCaughtUp(nc);
    if (options.similar) {
      const table = await buildSimilarItems({ natsUrl: options.natsUrl, address: options.featureStoreAddress, tenant });
      log(`published the item-kNN neighbours of ${table.itemsWithNeighbours} of ${table.items} items`);
    }

    const users = sample([...split.truth.keys()], options.maxUsers);
    let training: ReplayReport['training'];
    if (options.train) {
      // The trainer judges itself the way this evaluation will judge it: by time, each user's latest, or random.
      const holdout = split.holdout;
      log(`training the tenant's model on the replayed part (hold-out: ${holdout}) …`);
      const result = await train({
        natsUrl: options.natsUrl,
        tenant,
        margin: 0,
        holdout,
        k: options.k,
        promote: true,
        share: 0.5,
        log,
      });
      training = {
        gate: result.report.gate.reason,
        holdout,
        seconds: result.report.seconds,
        ...(result.report.holdout && { chosen: result.report.holdout.chosen }),
        ...(result.published && { published: result.published.version }),
      };
      if (result.published && users[0] !== undefined) {
        await servedBy(decisioning, tenant, users[0], result.published.version);
        log(`decisioning serves ${result.report.name} ${result.published.version}`);
      } else log(`nothing published: ${result.report.gate.reason}`);
    }
    const truth = new Map(users.map((u) => [u, split.truth.get(u)!]));
    log(`asking Recommend for ${users.length} test users …`);
    const lists = new Map<string, string[]>();
    let personalized = 0;
    let failed = 0;
    await forEachConcurrently(users, 8, async (user) => {
      try {
        const response = await callUnary<RecommendResponse__Output>((done) =>
          decisioning.Recommend({ tenantId: tenant, userId: user, n: options.k }, done)
        );
        lists.set(
          user,
          response.items.map((i) => i.itemId)
        );
        if (response.personalized) personalized++;
      } catch {
        failed++;
      }
    });
    const catalog = new Set(split.train.map((i) => i.item)).size;
    log('computing the baselines offline (popularity, item-kNN, EASE^R) …');
    const incidence = new Incidence(split.train);
    const ease = easeLists(split.train, users, options.k);
    const baselines: BaselineLists[] = [
      popularityLists(incidence, users, options.k),
      itemKnnLists(incidence, users, options.k),
      ...(ease ? [ease] : []),
    ];
    return {
      tenant,
      trainInteractions: split.train.length,
      testUsers: users.length,
      catalog,
      recommend: {
        ...rankingMetrics(lists, truth, options.k, catalog),
        personalizedShare: users.length ? personalized / users.length : 0,
        failed,
      },
      baselines: baselines.map((b) => ({
        name: b.name,
        detail: b.detail,
        ...rankingMetrics(b.lists, truth, options.k, catalog),
      })),
      skipped: ease ? [] : [`EASE^R: ${catalog} items, more than the ${EASE_MAX_ITEMS} its dense solve takes here`],
      ...(training && { training }),
    };
  } finally {
    intake.close();
    decisioning.close();
    await nc.close();
  }
}

function readSplit(options: ReplayOptions): Split & { holdout: Holdout } {
  const read = (file: string): Interaction[] =>
    parseInteractions(readFileSync(file, 'utf8'), file).filter(
      (i) => options.threshold === undefined || (i.value ?? 0) >= options.threshold
    );
  const all = read(options.interactionsFile);
  const test = options.testFile ? read(options.testFile) : undefined;
  const split = test
    ? fromParts(all, test)
    : options.split === 'leave-last-out'
      ? leaveLastOut(all)
      : temporalSplit(all, options.testFraction);
  return {
    ...(options.dropUnseenItems ? withoutUnseenItems(split) : split),
    holdout: test ? holdoutOf(all, test) : options.split === 'leave-last-out' ? 'latest' : 'time',
  };
}

/**
 * How a given split was made: `time` when the test part comes after the training part (a cut in time), `random`
 * when many test interactions are older than their user's latest training interaction, else `latest` (each
 * user's last ones).
 */
function holdoutOf(train: readonly Interaction[], test: readonly Interaction[]): Holdout {
  const latest = new Map<string, number>();
  let trainEnd = -Infinity;
  for (const i of train) {
    latest.set(i.user, Math.max(latest.get(i.user) ?? 0, i.atMs));
    trainEnd = Math.max(trainEnd, i.atMs);
  }
  let earlier = 0;
  let afterCut = 0;
  let total = 0;
  for (const i of test) {
    if (i.atMs >= trainEnd) afterCut++;
    const last = latest.get(i.user);
    if (last === undefined) continue;
    total++;
    if (i.atMs < last) earlier++;
  }
  if (test.length > 0 && afterCut / test.length > 0.95) return 'time';
  return total > 0 && earlier / total > 0.25 ? 'random' : 'latest';
}

/** Resolves once Recommend answers `user` with `version` (the new model reached this replica), within 60 s. */
async function servedBy(
  decisioning: ReturnType<typeof decisioningClient>,
  tenant: string,
  user: string,
  version: string
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await callUnary<RecommendResponse__Output>((done) =>
      decisioning.Recommend({ tenantId: tenant, userId: user, n: 1 }, done)
    );
    if (response.modelVersion === version) return;
    if (Date.now() > deadline) throw new Error(`decisioning does not serve ${version} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Up to `max` of `values`, drawn evenly (deterministic), all when max is 0. */
function sample<T>(values: T[], max: number): T[] {
  if (max <= 0 || values.length <= max) return values;
  const step = values.length / max;
  return Array.from({ length: max }, (_, i) => values[Math.floor(i * step)]!);
}

async function forEachConcurrently<T>(
  values: T[],
  concurrency: number,
  work: (value: T) => Promise<void>
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < values.length) await work(values[next++]!);
    })
  );
}

export function printReplayReport(report: ReplayReport, k: number): void {
  const row = (name: string, m: RankingMetrics, detail = ''): (string | number)[] => [
    name,
    m.precision.toFixed(4),
    m.recall.toFixed(4),
    m.ndcg.toFixed(4),
    m.hitRate.toFixed(4),
    m.coverage.toFixed(4),
    detail,
  ];
  process.stdout.write(
    `tenant ${report.tenant}: ${report.trainInteractions} training interactions, ${report.catalog} items, ` +
      `${report.testUsers} test users (${(report.recommend.personalizedShare * 100).toFixed(0)} % answered ` +
      `personally, ${report.recommend.failed} failed)\n`
  );
  printTable(
    ['', `precision@${k}`, `recall@${k}`, `ndcg@${k}`, `hr@${k}`, 'coverage', ''],
    [
      row('Recommend', report.recommend, 'through the live system'),
      ...report.baselines.map((b) => row(b.name, b, `offline: ${b.detail}`)),
    ]
  );
  const best = bestBaseline(report);
  const ratio = (ours: number, theirs: number): string => (theirs > 0 ? `${(ours / theirs).toFixed(3)}x` : 'n/a');
  process.stdout.write(
    `\nRecommend against the best baseline (${best.name}): precision@${k} ` +
      `${ratio(report.recommend.precision, best.precision)}, ndcg@${k} ${ratio(report.recommend.ndcg, best.ndcg)}\n`
  );
  for (const line of report.skipped) process.stdout.write(`not computed: ${line}\n`);
  const t = report.training;
  if (t) {
    process.stdout.write(
      `trained (${t.seconds} s, hold-out ${t.holdout}): ${t.published ? `published ${t.published}, ranker ${t.chosen}` : 'not published'}; ${t.gate}\n`
    );
  }
}
