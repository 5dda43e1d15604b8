import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ModelRegistry, recommendModelName } from '@dmp/scorer';

import { REPO_ROOT } from '../endpoints';
import { printTable } from '../table';
import { eachInteraction, eachServedDecision } from '../tenant-streams';
import { connectNats } from '../nats';
import { auditCliChange } from '../audit';

/** What the trainer holds out to judge on (services/trainer/dmp_trainer/interactions.py items_held_out). */
export type Holdout = 'time' | 'latest' | 'random';

export interface TrainOptions {
  natsUrl: string;
  tenant: string;
  /** Where the export and the trainer's output go (a new temporary folder when omitted). */
  dir?: string;
  /** How much better than the champion a version must be to go out (0: at least as good). */
  margin: number;
  holdout: Holdout;
  k: number;
  /** A version that passes goes straight to champion (else: challenger with `share`, or champion if none). */
  promote: boolean;
  share: number;
  log?: (line: string) => void;
}

/** What the trainer wrote in report.json (services/trainer/dmp_trainer/train.py), as far as we read it. */
export interface TrainReport {
  name: string;
  data: { interactions: number; users: number; items: number };
  gate: { passed: boolean; reason: string };
  holdout?: {
    rankers: Record<string, { ndcg: number; precision: number; users: number }>;
    champion: { ndcg: number; precision: number } | null;
    baselines: Record<string, { ndcg: number; precision: number }>;
    chosen: string;
  };
  card?: { name: string; version: string };
  seconds: number;
  peakRssMb: number;
}

export interface TrainResult {
  report: TrainReport;
  /** The version published, and how it serves; undefined when the gate refused it. */
  published?: { version: string; role: 'champion' | 'challenger' };
  dir: string;
}

/**
 * `dmp train`: exports the tenant's interactions (EVENTS) and served decisions (FEATURE_LOG), and the
 * champion of its model, runs the trainer (services/trainer/train.sh: Python) on them, and publishes the
 * version it made to the model registry if it passed the gate: as challenger on `share` of users, or as
 * champion with `promote` or when the tenant has none yet. Every replica of decisioning then serves it.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const log = options.log ?? (() => undefined);
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), `dmp-train-${options.tenant}-`));
  const data = join(dir, 'data');
  const out = join(dir, 'out');
  mkdirSync(join(data, 'champion'), { recursive: true });
  const name = recommendModelName(options.tenant);
  const nc = await connectNats(options.natsUrl);
  let registry: ModelRegistry;
  try {
    registry = await ModelRegistry.open(nc);
    const counts = await exportData(nc, options.tenant, data);
    log(`exported ${counts.interactions} interactions and ${counts.decisions} logged decisions of ${options.tenant}`);
    const policy = await registry.policy(name);
    if (policy) {
      const card = await registry.card(name, policy.champion);
      if (card) {
        writeFileSync(join(data, 'champion', 'ranker.json'), JSON.stringify(card));
        writeFileSync(join(data, 'champion', 'ranker.onnx'), await registry.fetchBytes(card));
      }
    }
    await runTrainer(
      [
        '--data',
        data,
        '--out',
        out,
        '--name',
        name,
        '--margin',
        String(options.margin),
        '--holdout',
        options.holdout,
        '--k',
        String(options.k),
      ],
      log
    );
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as TrainReport;
    if (!report.gate.passed || !report.card) return { report, dir };
    const card = await registry.publishFile(join(out, 'ranker.onnx'));
    const role = options.promote || !policy ? 'champion' : 'challenger';
    if (role === 'champion') await registry.promote(name, card.version);
    else await registry.setChallenger(name, card.version, options.share);
    await auditCliChange(nc, { action: `train/${role}`, target: `${name} ${card.version}`, tenantId: options.tenant });
    return { report, published: { version: card.version, role }, dir };
  } finally {
    await nc.close();
  }
}

async function exportData(
  nc: Parameters<typeof eachInteraction>[0],
  tenant: string,
  dir: string
): Promise<{ interactions: number; decisions: number }> {
  const interactions = createWriteStream(join(dir, 'interactions.csv'));
  interactions.write('user,item,timestamp_ms,type,decision_id\n');
  let rows = 0;
  await eachInteraction(nc, tenant, (event) => {
    const decision = event.properties['decision_id'];
    const decisionId = typeof decision === 'string' ? decision.replace(/[,\n]/g, '') : '';
    for (const item of event.itemIds) {
      interactions.write(`${csv(event.subject)},${csv(item)},${event.occurredAtMs},${event.type},${decisionId}\n`);
      rows++;
    }
  });
  interactions.end();
  await once(interactions, 'finish');
  const decisions = createWriteStream(join(dir, 'decisions.jsonl'));
  const count = await eachServedDecision(nc, tenant, (served) => {
    if (served.decisionKind !== 'recommend') return;
    const at = served.servedAt;
    decisions.write(
      JSON.stringify({
        decisionId: served.decisionId,
        userId: served.userId,
        servedAtMs: at ? Number(at.seconds) * 1000 + Math.floor(at.nanos / 1e6) : 0,
        featureNames: served.featureNames,
        items: served.items.map((i) => ({ itemId: i.itemId, values: i.values })),
      }) + '\n'
    );
  });
  decisions.end();
  await once(decisions, 'finish');
  return { interactions: rows, decisions: count };
}

/** Ids are 1-256 visible ASCII: only a comma would break the CSV, and intake's id rules exclude none. */
const csv = (id: string): string => id.replace(/,/g, '%2C');

function runTrainer(args: string[], log: (line: string) => void): Promise<void> {
  const script = join(REPO_ROOT, 'services', 'trainer', 'train.sh');
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const relay = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-4_000);
      for (const line of text.split('\n')) if (line.trim() !== '') log(`  trainer: ${line}`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`the trainer exited with ${code}:\n${tail.trim()}`))
    );
  });
}

/** The trainer's figures as a table: each ranker, the champion and the baselines, on the hold-out. */
export function printTrainReport(result: TrainResult, k: number): void {
  const { report } = result;
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  say(
    `${report.name}: ${report.data.interactions} interactions, ${report.data.users} users, ${report.data.items} items ` +
      `(${report.seconds} s, peak ${report.peakRssMb} MB)`
  );
  if (report.holdout) {
    const h = report.holdout;
    printTable(
      ['', `ndcg@${k}`, `precision@${k}`, ''],
      [
        ...Object.entries(h.rankers).map(([n, m]) => [
          n,
          m.ndcg.toFixed(4),
          m.precision.toFixed(4),
          n === h.chosen ? 'chosen' : '',
        ]),
        ...(h.champion
          ? [['champion', h.champion.ndcg.toFixed(4), h.champion.precision.toFixed(4), 'serving now']]
          : []),
        ...Object.entries(h.baselines).map(([n, m]) => [n, m.ndcg.toFixed(4), m.precision.toFixed(4), 'baseline']),
      ]
    );
  }
  say(`gate: ${report.gate.passed ? 'passed' : 'refused'}: ${report.gate.reason}`);
  if (result.published) say(`published ${report.name} ${result.published.version} as ${result.published.role}`);
  say(`files: ${result.dir}`);
}
