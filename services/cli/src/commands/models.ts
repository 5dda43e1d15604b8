import { ModelRegistry, type ModelSummary, type TrafficPolicy } from '@dmp/scorer';

import { auditCliChange } from '../audit';
import { printTable } from '../table';
import { connectNats } from '../nats';

const say = (text: string): void => void process.stdout.write(`${text}\n`);

/** Runs one registry operation against NATS and closes the connection; a change is audited once it is made. */
async function withRegistry<T>(
  natsUrl: string,
  run: (registry: ModelRegistry) => Promise<T>,
  audit?: (result: T) => { action: string; target: string }
): Promise<T> {
  const nc = await connectNats(natsUrl);
  try {
    const result = await run(await ModelRegistry.open(nc));
    if (audit) await auditCliChange(nc, audit(result));
    return result;
  } finally {
    await nc.close();
  }
}

export function publishModel(args: {
  natsUrl: string;
  file: string;
  name?: string;
  version?: string;
  promote: boolean;
}): Promise<void> {
  return withRegistry(
    args.natsUrl,
    async (registry) => {
      const card = await registry.publishFile(args.file, args);
      say(
        `published ${card.name} ${card.version} (sha256 ${card.sha256.slice(0, 12)}, ${card.sizeBytes ?? '?'} bytes)`
      );
      if (args.promote) say(`${card.name}: ${card.version} is the champion`);
      return card;
    },
    (card) => ({
      action: args.promote ? 'models/publish+promote' : 'models/publish',
      target: `${card.name} ${card.version}`,
    })
  ).then(() => undefined);
}

export function listModels(args: { natsUrl: string; name?: string }): Promise<void> {
  return withRegistry(args.natsUrl, async (registry) => {
    const models = await registry.list(args.name);
    if (models.length === 0) return say(args.name ? `no model named ${args.name}` : 'the registry is empty');
    printTable(
      ['model', 'version', 'serves', 'published', 'sha256', 'bytes', 'features', 'metrics'],
      models.flatMap((m) =>
        m.versions.map((card) => [
          m.name,
          card.version,
          roleOf(m, card.version),
          card.publishedAt?.slice(0, 19).replace('T', ' ') ?? '',
          card.sha256.slice(0, 12),
          card.sizeBytes ?? '',
          card.input.features.length,
          Object.entries(card.metrics ?? {})
            .slice(0, 4)
            .map(([k, v]) => `${k}=${Number(v.toPrecision(4))}`)
            .join(' '),
        ])
      )
    );
  });
}

function roleOf(model: ModelSummary, version: string): string {
  const p = model.policy;
  if (!p) return '';
  if (p.champion === version) return 'champion';
  if (p.challenger?.version === version) return `challenger ${Math.round(p.challenger.share * 1000) / 10}%`;
  if (p.shadows.includes(version)) return 'shadow';
  if (p.previousChampions.includes(version)) return 'earlier champion';
  return '';
}

function printPolicy(name: string, p: TrafficPolicy): void {
  const parts = [`champion ${p.champion}`];
  if (p.challenger) parts.push(`challenger ${p.challenger.version} for ${p.challenger.share * 100}% of subjects`);
  if (p.shadows.length > 0) parts.push(`shadows ${p.shadows.join(', ')}`);
  say(`${name}: ${parts.join('; ')}`);
}

export function changePolicy(args: {
  natsUrl: string;
  name: string;
  /** promote, challenger, shadow or rollback: what the audit record says was done. */
  what: string;
  change: (registry: ModelRegistry) => Promise<TrafficPolicy>;
}): Promise<void> {
  return withRegistry(
    args.natsUrl,
    async (registry) => {
      const policy = await args.change(registry);
      printPolicy(args.name, policy);
      return policy;
    },
    (policy) => ({ action: `models/${args.what}`, target: `${args.name} ${policy.champion}` })
  ).then(() => undefined);
}

export function removeModel(args: { natsUrl: string; name: string; version: string }): Promise<void> {
  return withRegistry(
    args.natsUrl,
    async (registry) => {
      await registry.remove(args.name, args.version);
      say(`removed ${args.name} ${args.version}`);
    },
    () => ({ action: 'models/rm', target: `${args.name} ${args.version}` })
  );
}

/** The models the trainer commits to the repo; `dmp up` publishes them so a fresh platform can rank. */
export const REPO_MODELS = ['demo-ranker.onnx', 'demo-ranker-trees.onnx'];

/** Publishes the repo's models and makes each the champion of a name that has none yet. */
export function publishRepoModels(natsUrl: string, modelsDir: string): Promise<string[]> {
  return withRegistry(natsUrl, async (registry) => {
    const published: string[] = [];
    for (const file of REPO_MODELS) {
      const card = await registry.publishFile(`${modelsDir}/${file}`);
      if (!(await registry.policy(card.name))) await registry.promote(card.name, card.version);
      published.push(`${card.name} ${card.version}`);
    }
    return published;
  });
}
