/**
 * A closed-loop load generator run as its own process (so its CPU is not charged to the server, and the
 * same generator drives our path and the limit): `concurrency` loops, each sending the next call when
 * the previous one answers, for a warm-up and then a measured period.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import { apiClients, loadProtos } from '@dmp/grpc';

import { runGenerator, serveGenerator, type Phase } from './generator-process';

export interface LoadSpec {
  target: string;
  kind: 'recommend' | 'echo' | 'score';
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
  /** recommend: the tenant and users to ask for (round robin) and n. */
  tenantId?: string;
  userIds?: string[];
  n?: number;
  /** echo: the response size to ask for. */
  responseBytes?: number;
  /** score: the model, its columns and the rows of one call (ScoreRequests cycle through `batches`). */
  modelName?: string;
  featureNames?: string[];
  batches?: number[][][];
}

export interface LoadResult {
  calls: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** Mean size of a serialized response, bytes. */
  responseBytes: number;
  /** Set by the caller: server CPU seconds per call during the measured period. */
  serverCpuMsPerCall?: number;
}

type Call = () => Promise<number>;

function echoCall(spec: LoadSpec): Call {
  const definition = protoLoader.loadSync('echo.proto', { includeDirs: [join(__dirname, '..', 'proto')] });
  const Echo = (
    grpc.loadPackageDefinition(definition) as unknown as {
      dmp: { bench: { v1: { EchoService: new (a: string, c: grpc.ChannelCredentials) => grpc.Client } } };
    }
  ).dmp.bench.v1.EchoService;
  const client = new Echo(spec.target, grpc.credentials.createInsecure()) as grpc.Client & {
    Echo(r: object, o: grpc.CallOptions, cb: (e: Error | null, r?: { payload: Buffer }) => void): void;
  };
  return () =>
    new Promise((resolve, reject) =>
      client.Echo({ responseBytes: spec.responseBytes }, { deadline: Date.now() + 5_000 }, (error, response) =>
        error ? reject(error) : resolve(response!.payload.length + 3)
      )
    );
}

function recommendCall(spec: LoadSpec): Call {
  const client = apiClients.decisioning(spec.target, { defaultDeadlineMs: 5_000 });
  const serialize = loadProtos().packageDefinition['dmp.decisioning.v1.DecisioningService'] as unknown as {
    Recommend: { responseSerialize: (r: unknown) => Buffer };
  };
  const users = spec.userIds ?? ['u-0001'];
  let next = 0;
  return () =>
    new Promise((resolve, reject) =>
      client.Recommend(
        { tenantId: spec.tenantId!, userId: users[next++ % users.length]!, n: spec.n ?? 20 },
        (error, response) => (error ? reject(error) : resolve(serialize.Recommend.responseSerialize(response).length))
      )
    );
}

/** Score with requests serialized up front and responses taken as bytes: the generator stays cheap. */
function scoreCall(spec: LoadSpec): Call {
  const method = loadProtos().packageDefinition['dmp.scoring.v1.ScoringService'] as unknown as {
    Score: { path: string; requestSerialize: (r: unknown) => Buffer };
  };
  const requests = spec.batches!.map((rows, i) =>
    method.Score.requestSerialize({
      tenantId: spec.tenantId,
      modelName: spec.modelName,
      featureNames: spec.featureNames,
      subjectId: `user-${i}`,
      rows: rows.map((values) => ({ values })),
    })
  );
  const client = new grpc.Client(spec.target, grpc.credentials.createInsecure());
  let next = 0;
  return () =>
    new Promise((resolve, reject) =>
      client.makeUnaryRequest<Buffer, Buffer>(
        method.Score.path,
        (b) => b,
        (b) => b,
        requests[next++ % requests.length]!,
        { deadline: Date.now() + 5_000 },
        (error, response) => (error ? reject(error) : resolve(response!.length))
      )
    );
}

async function generate(spec: LoadSpec): Promise<LoadResult> {
  const call = spec.kind === 'echo' ? echoCall(spec) : spec.kind === 'score' ? scoreCall(spec) : recommendCall(spec);
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  let measuring = false;
  const start = Date.now();
  const warmEnd = start + spec.warmupSeconds * 1000;
  const end = warmEnd + spec.seconds * 1000;
  const loop = async (): Promise<void> => {
    while (Date.now() < end) {
      const t0 = process.hrtime.bigint();
      try {
        const size = await call();
        if (measuring) {
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          bytes += size;
        }
      } catch {
        if (measuring) errors++;
      }
    }
  };
  setTimeout(() => {
    measuring = true;
    process.send?.('measuring');
  }, warmEnd - start);
  await Promise.all(Array.from({ length: spec.concurrency }, loop));
  latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    calls: latencies.length,
    errors,
    seconds: spec.seconds,
    rps: latencies.length / spec.seconds,
    p50Ms: q(0.5),
    p90Ms: q(0.9),
    p99Ms: q(0.99),
    responseBytes: latencies.length ? bytes / latencies.length : 0,
  };
}

/** Runs the generator in a child process (see runGenerator). */
export function runLoad(spec: LoadSpec, onPhase: (phase: Phase) => void): Promise<LoadResult> {
  // A big spec (rows to score) exceeds the command line's limit: it goes through a file.
  const dir = mkdtempSync(join(tmpdir(), 'dmp-load-'));
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  return runGenerator<LoadResult>('load generator', __filename, [join(dir, 'spec.json')], onPhase).finally(() =>
    rmSync(dir, { recursive: true, force: true })
  );
}

if (require.main === module) {
  serveGenerator(async () => {
    const result = await generate(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadSpec);
    process.send?.('done');
    return result;
  });
}
