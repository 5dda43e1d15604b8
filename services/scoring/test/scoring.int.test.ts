import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ScoreRequest, ScoreResponse__Output, ScoringServiceClient } from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import {
  armOf,
  cardKey,
  decodeShadowScores,
  Model,
  ModelRegistry,
  policyKey,
  readModelFiles,
  sha256Of,
  type ModelCard,
} from '@dmp/scorer';

import {
  addTenant,
  callUnary,
  checkHealth,
  clients,
  expectRejected,
  metricValue,
  MODEL_PATH,
  readStream,
  startServers,
  startService,
  TREES_MODEL_PATH,
  waitFor,
  type Servers,
} from '../../../test/harness';

const NAME = 'demo-ranker';
/** The tree ensemble's bytes published as a second version of demo-ranker (same input schema). */
const V2 = 'trees-v2';

let servers: Servers;
let registry: ModelRegistry;
const replicas: ServiceProcess[] = [];
const replicaClients: ScoringServiceClient[] = [];
let mlp: Model;
let trees: Model;

const score = (request: Partial<ScoreRequest>, replica = 0): Promise<ScoreResponse__Output> =>
  callUnary<ScoreResponse__Output>((done) =>
    replicaClients[replica]!.Score({ tenantId: 'shop', modelName: NAME, ...request }, done)
  );

const popularOnly = [Math.log1p(200), 0, 0, 0];
const stronglyRelated = [Math.log1p(200), Math.log1p(40), 0.8, 0.6];
const rows = [popularOnly, stronglyRelated, popularOnly, [0.5, 1, 0.1, 0.05]];

async function expectedScores(model: Model, values: number[][]): Promise<number[]> {
  return Array.from(await model.score(Float32Array.from(values.flat())));
}

/** Resolves once every replica answers `version` for the champion. */
async function waitForChampion(version: string): Promise<void> {
  for (let r = 0; r < replicas.length; r++) {
    await waitFor(`replica ${r} serving ${version}`, async () => {
      return (await score({ rows: [{ values: popularOnly }] }, r)).modelVersion === version;
    });
  }
}

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  registry = await ModelRegistry.open(servers.nc);
  mlp = await Model.fromFile(MODEL_PATH);
  trees = await Model.fromFile(TREES_MODEL_PATH);
});

afterAll(async () => {
  for (const client of replicaClients) client.close();
  await Promise.all(replicas.map((r) => r.stop()));
  await mlp?.release();
  await trees?.release();
  await servers?.stop();
});

describe('scoring', () => {
  it('stays NOT_SERVING until its model is published and warm, then serves', async () => {
    const first = await startService('scoring', servers, { SCORING_REQUIRED_MODELS: NAME }, { waitServing: false });
    replicas.push(first);
    await waitFor('the replica to answer health checks', async () => {
      try {
        return (await checkHealth(first.address)) === 'NOT_SERVING';
      } catch {
        return false;
      }
    });
    expect(await checkHealth(first.address, 'liveness')).toBe('SERVING');
    await registry.publishFile(MODEL_PATH, { promote: true });
    await waitFor('SERVING', async () => (await checkHealth(first.address)) === 'SERVING');
    replicas.push(await startService('scoring', servers, { SCORING_REQUIRED_MODELS: NAME }));
    replicaClients.push(...replicas.map((r) => clients.scoring(r.address)));
  });

  it('scores a batch of rows in one call, one score per row, in order, as the model does in process', async () => {
    const response = await score({ rows: rows.map((values) => ({ values })) });
    expect(response).toMatchObject({ modelName: NAME, modelVersion: mlp.version, arm: 'MODEL_ARM_CHAMPION' });
    const expected = await expectedScores(mlp, rows);
    expect(response.scores).toHaveLength(rows.length);
    response.scores.forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 6));
    expect(response.scores[1]!).toBeGreaterThan(response.scores[0]!);
  });

  it('takes named columns in any order, ignores unknown ones and uses defaults for missing values (NaN)', async () => {
    const named = await score({
      featureNames: ['cooc_confidence', 'extra', 'popularity', 'cooc_hits'],
      rows: [{ values: [0.6, 123, Math.log1p(200), 0.8] }],
    });
    // cooc_sum was not sent: its default (0) applies.
    const [expected] = await expectedScores(mlp, [[Math.log1p(200), 0, 0.8, 0.6]]);
    expect(named.scores[0]).toBeCloseTo(expected!, 6);
    const withNaN = await score({ rows: [{ values: [Math.log1p(200), NaN, 0.8, 0.6] }] });
    expect(withNaN.scores[0]).toBeCloseTo(expected!, 6);
  });

  it('answers bad requests with the right status naming the field, and stays up', async () => {
    const row = { values: [1, 0, 0, 0] };
    await expectRejected<Partial<ScoreRequest>>(score, [
      ['unknown tenant', { tenantId: 'nobody', rows: [row] }, 'NOT_FOUND', 'tenant_id'],
      ['missing model', { modelName: '', rows: [row] }, 'INVALID_ARGUMENT', 'model_name'],
      ['unknown model', { modelName: 'nope', rows: [row] }, 'NOT_FOUND', 'model_name'],
      ['no rows', { rows: [] }, 'INVALID_ARGUMENT', 'rows'],
      ['short row', { rows: [row, { values: [1, 2] }] }, 'INVALID_ARGUMENT', 'rows[1].values'],
      ['infinity', { rows: [{ values: [Infinity, 0, 0, 0] }] }, 'INVALID_ARGUMENT', 'rows[0].values[0]'],
      ['too many rows', { rows: Array.from({ length: 10_001 }, () => row) }, 'INVALID_ARGUMENT', 'rows'],
      [
        'repeated column',
        { featureNames: ['a', 'a'], rows: [{ values: [1, 2] }] },
        'INVALID_ARGUMENT',
        'feature_names[1]',
      ],
      ['row vs columns', { featureNames: ['popularity'], rows: [row] }, 'INVALID_ARGUMENT', 'rows[0].values'],
    ]);
    expect(await checkHealth(replicas[0]!.address)).toBe('SERVING');
  });

  it('scores a tree-ensemble model (ai.onnx.ml TreeEnsembleRegressor) like the trainer exported it', async () => {
    await registry.publishFile(TREES_MODEL_PATH, { promote: true });
    await waitFor('the trees model on every replica', async () => {
      const answers = await Promise.allSettled(
        replicas.map((_, r) => score({ modelName: 'demo-ranker-trees', rows: [{ values: popularOnly }] }, r))
      );
      return answers.every((a) => a.status === 'fulfilled');
    });
    const response = await score({ modelName: 'demo-ranker-trees', rows: rows.map((values) => ({ values })) });
    expect(response.modelVersion).toBe(trees.version);
    const expected = await expectedScores(trees, rows);
    expect(response.scores).toHaveLength(rows.length);
    response.scores.forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 6));
    for (const s of response.scores) expect(s > 0 && s < 1).toBe(true);
  });

  it('swaps a promoted version in on every replica without one failed call under load', async () => {
    await registry.publishFile(TREES_MODEL_PATH, { name: NAME, version: V2 });
    let stop = false;
    const errors: string[] = [];
    let calls = 0;
    const seen = replicas.map(() => [] as string[]);
    const load = Array.from({ length: 8 }, async (_, worker) => {
      const r = worker % replicas.length;
      while (!stop) {
        try {
          const response = await score({ rows: rows.map((values) => ({ values })) }, r);
          if (seen[r]!.at(-1) !== response.modelVersion) seen[r]!.push(response.modelVersion);
          calls++;
        } catch (error) {
          errors.push((error as Error).message);
        }
      }
    });
    await waitFor('load running', () => calls > 50);
    await registry.promote(NAME, V2);
    await waitFor('every replica answering the new version', () => seen.every((s) => s.at(-1) === V2));
    const callsAtSwap = calls;
    await waitFor('more load after the swap', () => calls > callsAtSwap + 50);
    stop = true;
    await Promise.all(load);
    expect(errors).toEqual([]);
    // Each replica went from the old version to the new one, once, and never back.
    for (const s of seen) expect(s.filter((v) => v === V2 || v === mlp.version).slice(-2)).toEqual([mlp.version, V2]);
  });

  it('refuses a broken model at publish with the reason, and nothing changes', async () => {
    const { card, bytes } = await readModelFiles(MODEL_PATH);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1]! ^= 0xff;
    const variant = (v: string, change: Partial<ModelCard> = {}): ModelCard => ({ ...card, version: v, ...change });
    await expect(registry.publish(variant('flipped'), flipped)).rejects.toThrow(/checksum mismatch/);
    const fiveFeatures = [...card.input.features, { name: 'extra', type: 'float' as const, default: 0 }];
    await expect(
      registry.publish(variant('five', { input: { ...card.input, features: fiveFeatures } }), bytes)
    ).rejects.toThrow(/takes 4 features, the card lists 5/);
    await expect(registry.publish(variant('noinput', { input: { ...card.input, name: 'x' } }), bytes)).rejects.toThrow(
      /has no input "x"/
    );
    await expect(registry.promote(NAME, 'flipped')).rejects.toThrow(/has no version flipped/);
    expect((await registry.list(NAME))[0]!.versions.map((c) => c.version).sort()).toEqual([mlp.version, V2].sort());
    expect((await score({ rows: [{ values: popularOnly }] })).modelVersion).toBe(V2);
  });

  it('keeps serving the old version when a replica cannot load, verify or warm a new one, and says why', async () => {
    // What publish would refuse, written to the registry behind its back: replicas must refuse it too.
    const garbage = randomBytes(2_000);
    const good = (await registry.card(NAME, mlp.version))!;
    const broken: [string, ModelCard][] = [
      ['unloadable', { ...good, version: 'unloadable', sha256: sha256Of(garbage) }],
      ['corrupted', { ...good, version: 'corrupted', sha256: 'f'.repeat(64) }],
    ];
    await registry.bytes.putBlob({ name: sha256Of(garbage) }, garbage);
    await registry.bytes.putBlob({ name: 'f'.repeat(64) }, (await readModelFiles(MODEL_PATH)).bytes);
    for (const [version, card] of broken) {
      const refusals = await Promise.all(replicas.map((r) => refusalsOf(r)));
      await registry.kv.put(cardKey(NAME, version), JSON.stringify(card));
      const policy = (await registry.policy(NAME))!;
      await registry.kv.put(policyKey(NAME), JSON.stringify({ ...policy, champion: version }));
      for (const [r, replica] of replicas.entries()) {
        await waitFor(`replica ${r} refusing ${version}`, () =>
          replica.output().includes(`${NAME}@${version} refused`)
        );
        expect(await refusalsOf(replica)).toBeGreaterThan(refusals[r]!);
        const response = await score({ rows: [{ values: popularOnly }] }, r);
        expect(response.modelVersion).toBe(V2);
      }
    }
    const logs = replicas[0]!.output();
    expect(logs).toMatch(/model refused[^\n]*onnxruntime cannot load the bytes/);
    expect(logs).toMatch(/model refused[^\n]*checksum mismatch/);
    // Back to a good champion through the registry: replicas follow again.
    await registry.kv.put(policyKey(NAME), JSON.stringify({ ...(await registry.policy(NAME))!, champion: V2 }));
    await registry.promote(NAME, mlp.version);
    await waitForChampion(mlp.version);
  });

  it('rolls back to the previous champion', async () => {
    await registry.promote(NAME, V2);
    await waitForChampion(V2);
    const policy = await registry.rollback(NAME);
    expect(policy.champion).toBe(mlp.version);
    await waitForChampion(mlp.version);
  });

  it('splits subjects between champion and challenger by a hash: the same subject gets the same arm everywhere', async () => {
    const policy = await registry.setChallenger(NAME, V2, 0.3);
    await waitFor('the split on every replica', async () => {
      const answers = await Promise.all(
        replicas.map((_, r) => score({ subjectId: 'probe', rows: [{ values: popularOnly }] }, r))
      );
      const expected = armOf(NAME, policy, 'probe') === 'challenger' ? V2 : mlp.version;
      const someoneChallenged = (
        await Promise.all(
          Array.from({ length: 20 }, (_, i) => score({ subjectId: `s-${i}`, rows: [{ values: popularOnly }] }))
        )
      ).some((a) => a.arm === 'MODEL_ARM_CHALLENGER');
      return someoneChallenged && answers.every((a) => a.modelVersion === expected);
    });
    const subjects = Array.from({ length: 300 }, (_, i) => `user-${i}`);
    let challengers = 0;
    for (const subject of subjects) {
      const [a, b] = await Promise.all(
        replicas.map((_, r) => score({ subjectId: subject, rows: [{ values: popularOnly }] }, r))
      );
      const arm = armOf(NAME, policy, subject);
      expect(a!.arm).toBe(arm === 'challenger' ? 'MODEL_ARM_CHALLENGER' : 'MODEL_ARM_CHAMPION');
      expect(b!.modelVersion).toBe(a!.modelVersion);
      expect(a!.modelVersion).toBe(arm === 'challenger' ? V2 : mlp.version);
      if (arm === 'challenger') challengers++;
    }
    expect(challengers / subjects.length).toBeGreaterThan(0.2);
    expect(challengers / subjects.length).toBeLessThan(0.4);
    await registry.setChallenger(NAME, undefined, 0);
  });

  it('scores shadow versions on the same rows and logs them next to the served scores, never returning them', async () => {
    await registry.setShadow(NAME, V2, true);
    const requestId = `req-${randomBytes(4).toString('hex')}`;
    let response: ScoreResponse__Output | undefined;
    await waitFor('a shadow record of the call', async () => {
      response = await score({ subjectId: 'alice', requestId, rows: rows.map((values) => ({ values })) });
      const logged = (await readStream(servers.nc, 'SCORE_LOG')).map((m) => decodeShadowScores(m.data));
      return logged.some((l) => l.requestId === requestId);
    });
    expect(response!.modelVersion).toBe(mlp.version);
    const logged = (await readStream(servers.nc, 'SCORE_LOG'))
      .map((m) => ({ subject: m.subject, record: decodeShadowScores(m.data) }))
      .filter((l) => l.record.requestId === requestId);
    const { subject, record } = logged.at(-1)!;
    expect(subject).toBe(`scorelog.v1.${NAME}`);
    expect(record).toMatchObject({
      modelName: NAME,
      servedVersion: mlp.version,
      shadowVersion: V2,
      subjectId: 'alice',
    });
    expect(record.servedScores).toHaveLength(rows.length);
    record.servedScores.forEach((s, i) => expect(s).toBeCloseTo(response!.scores[i]!, 6));
    const expected = await expectedScores(trees, rows);
    expect(record.shadowScores).toHaveLength(rows.length);
    record.shadowScores.forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 6));
    for (let i = 0; i < 50; i++) {
      const r = await score({ subjectId: `user-${i}`, rows: [{ values: popularOnly }] }, i % replicas.length);
      expect(r.modelVersion).toBe(mlp.version);
    }
    await registry.setShadow(NAME, V2, false);
  });

  it('refuses to remove a version that serves traffic, and removes one that does not', async () => {
    await expect(registry.remove(NAME, mlp.version)).rejects.toThrow(/serves traffic/);
    await registry.remove(NAME, V2);
    const versions = (await registry.list(NAME))[0]!.versions.map((c) => c.version);
    expect(versions).toContain(mlp.version);
    expect(versions).not.toContain(V2);
    // The trees model's bytes are shared with demo-ranker-trees: still there.
    expect(await registry.fetchBytes(trees.card)).toHaveLength((await readModelFiles(TREES_MODEL_PATH)).bytes.length);
  });

  it('is NOT_SERVING while NATS is down and SERVING again when it returns', async () => {
    const replica = replicas[0]!;
    await servers.nats.stop();
    await waitFor('NOT_SERVING', async () => (await checkHealth(replica.address)) === 'NOT_SERVING');
    expect(await checkHealth(replica.address, 'liveness')).toBe('SERVING');
    await servers.nats.start();
    await waitFor('SERVING', async () => (await checkHealth(replica.address)) === 'SERVING');
  });
});

function refusalsOf(replica: ServiceProcess): Promise<number> {
  return metricValue(replica.metricsPort, 'scorer_model_refusals_total', { model: NAME });
}
