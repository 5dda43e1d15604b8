import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ScoreRequest, ScoreResponse__Output, ScoringServiceClient } from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';

import {
  addTenant,
  callUnary,
  checkHealth,
  clients,
  expectRejected,
  MODEL_PATH,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../../../test/harness';

let servers: Servers;
let scoring: ServiceProcess;
let client: ScoringServiceClient;

const score = (request: Partial<ScoreRequest>): Promise<ScoreResponse__Output> =>
  callUnary<ScoreResponse__Output>((done) =>
    client.Score({ tenantId: 'shop', modelName: 'demo-ranker', ...request }, done)
  );

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  scoring = await startService('scoring', servers);
  client = clients.scoring(scoring.address);
});

afterAll(async () => {
  client?.close();
  await scoring?.stop();
  await servers?.stop();
});

describe('scoring', () => {
  it('scores a batch of rows in one call, one score per row, in order', async () => {
    const popularOnly = [Math.log1p(200), 0, 0, 0];
    const stronglyRelated = [Math.log1p(200), Math.log1p(40), 0.8, 0.6];
    const response = await score({
      rows: [{ values: popularOnly }, { values: stronglyRelated }, { values: popularOnly }],
    });
    expect(response.modelVersion).toMatch(/^demo-ranker@[0-9a-f]{12}$/);
    expect(response.scores).toHaveLength(3);
    expect(response.scores[0]).toBeCloseTo(response.scores[2]!, 6);
    expect(response.scores[1]!).toBeGreaterThan(response.scores[0]!);
    for (const s of response.scores) expect(s > 0 && s < 1).toBe(true);
  });

  it('answers bad requests with the right status naming the field, and stays up', async () => {
    const row = { values: [1, 0, 0, 0] };
    await expectRejected<Partial<ScoreRequest>>(score, [
      ['unknown tenant', { tenantId: 'nobody', rows: [row] }, 'NOT_FOUND', 'tenant_id'],
      ['missing model', { modelName: '', rows: [row] }, 'INVALID_ARGUMENT', 'model_name'],
      ['unknown model', { modelName: 'nope', rows: [row] }, 'NOT_FOUND', 'model_name'],
      ['no rows', { rows: [] }, 'INVALID_ARGUMENT', 'rows'],
      ['short row', { rows: [row, { values: [1, 2] }] }, 'INVALID_ARGUMENT', 'rows[1].values'],
      ['NaN', { rows: [{ values: [1, Number.NaN, 0, 0] }] }, 'INVALID_ARGUMENT', 'rows[0].values[1]'],
      ['infinity', { rows: [{ values: [Infinity, 0, 0, 0] }] }, 'INVALID_ARGUMENT', 'rows[0].values[0]'],
      ['too many rows', { rows: Array.from({ length: 10_001 }, () => row) }, 'INVALID_ARGUMENT', 'rows'],
    ]);
    expect(await checkHealth(scoring.address)).toBe('SERVING');
  });

  it('is NOT_SERVING while NATS is down and SERVING again when it returns', async () => {
    await servers.nats.stop();
    await waitFor('NOT_SERVING', async () => (await checkHealth(scoring.address)) === 'NOT_SERVING');
    expect(await checkHealth(scoring.address, 'liveness')).toBe('SERVING');
    await servers.nats.start();
    await waitFor('SERVING', async () => (await checkHealth(scoring.address)) === 'SERVING');
  });

  it('refuses to start on a model whose bytes do not match its checksum', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dmp-model-'));
    const bytes = readFileSync(MODEL_PATH);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1); // one flipped byte
    writeFileSync(join(dir, 'demo-ranker.onnx'), bytes);
    copyFileSync(MODEL_PATH.replace(/\.onnx$/, '.json'), join(dir, 'demo-ranker.json'));
    const failed = startService('scoring', servers, { MODEL_PATH: join(dir, 'demo-ranker.onnx') });
    await expect(failed).rejects.toThrow(/checksum mismatch/);
  });
});
