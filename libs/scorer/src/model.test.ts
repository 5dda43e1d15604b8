import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { InvalidArgumentError } from '@dmp/runtime';

import { Model, ModelLoadError, readModelFiles } from './model';
import { parseModelCard } from './model-card';

const MODELS = resolve(__dirname, '..', '..', '..', 'services', 'trainer', 'models');
const MLP = resolve(MODELS, 'demo-ranker.onnx');
const TREES = resolve(MODELS, 'demo-ranker-trees.onnx');

describe('Model', () => {
  it('loads the MLP and the tree ensemble (ai.onnx.ml) and scores a batch, one probability per row', async () => {
    for (const path of [MLP, TREES]) {
      const model = await Model.fromFile(path);
      const rows = Float32Array.of(Math.log1p(200), 0, 0, 0, Math.log1p(200), Math.log1p(40), 0.8, 0.6);
      const scores = await model.score(rows);
      expect(scores).toHaveLength(2);
      expect(scores[1]!).toBeGreaterThan(scores[0]!);
      for (const s of scores) expect(s > 0 && s < 1).toBe(true);
      await model.release();
    }
  });

  it('refuses bytes that do not match the card, a graph that does not match it, and bytes ORT cannot load', async () => {
    const { card, bytes } = await readModelFiles(MLP);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1]! ^= 0xff;
    await expect(Model.create(card, flipped)).rejects.toThrow(/checksum mismatch/);

    const cases: [string, Parameters<typeof Model.create>[0], Uint8Array, RegExp][] = [
      ['missing input', { ...card, input: { ...card.input, name: 'x' } }, bytes, /has no input "x"/],
      ['missing output', { ...card, output: { ...card.output, name: 'y' } }, bytes, /has no output "y"/],
      [
        'schema mismatch',
        {
          ...card,
          input: { ...card.input, features: [...card.input.features, { name: 'e', type: 'float', default: 0 }] },
        },
        bytes,
        /takes 4 features, the card lists 5/,
      ],
    ];
    for (const [, badCard, badBytes, reason] of cases) {
      const error = await Model.create(badCard, badBytes).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelLoadError);
      expect((error as Error).message).toMatch(reason);
    }
    const garbage = Buffer.from('not an onnx model at all');
    const garbageCard = {
      ...card,
      sha256: (await import('node:crypto')).createHash('sha256').update(garbage).digest('hex'),
    };
    await expect(Model.create(garbageCard, garbage)).rejects.toThrow(/onnxruntime cannot load the bytes/);
  });

  it('releases a retired version only after its running calls end', async () => {
    const model = await Model.fromFile(MLP);
    const running = model.score(new Float32Array(4 * 100));
    model.retire();
    expect(await running).toHaveLength(100);
    await expect(model.score(new Float32Array(4))).rejects.toThrow();
  });
});

describe('parseModelCard', () => {
  const good = JSON.parse(readFileSync(MLP.replace(/\.onnx$/, '.json'), 'utf8')) as Record<string, unknown>;

  it('accepts the trainer’s cards', () => {
    expect(parseModelCard(good).input.features.map((f) => f.name)).toEqual([
      'popularity',
      'cooc_sum',
      'cooc_hits',
      'cooc_confidence',
    ]);
  });

  it('names the field of a bad card', () => {
    const input = good['input'] as { features: object[] };
    const cases: [unknown, string][] = [
      [{ ...good, name: 'Bad Name' }, 'name'],
      [{ ...good, version: '1.0' }, 'version'],
      [{ ...good, sha256: 'abc' }, 'sha256'],
      [{ ...good, input: { ...input, features: [] } }, 'input.features'],
      [{ ...good, input: { ...input, features: [input.features[0], input.features[0]] } }, 'input.features[1].name'],
      [{ ...good, input: { ...input, features: [{ name: 'a', default: 'x' }] } }, 'input.features[0].default'],
      [{ ...good, input: { ...input, features: [{ name: 'a', type: 'text' }] } }, 'input.features[0].type'],
      [{ ...good, output: { name: 'score', semantics: 'vibes' } }, 'output.semantics'],
      [{ ...good, metrics: { auc: 'high' } }, 'metrics.auc'],
    ];
    for (const [card, field] of cases) {
      let error: unknown;
      try {
        parseModelCard(card);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).field).toBe(field);
    }
  });
});
