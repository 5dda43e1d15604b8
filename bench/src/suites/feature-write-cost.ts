import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import {
  buildPrefix,
  compileFeatureSet,
  DEFAULT_FEATURES,
  entityGroup,
  featureKeys,
  FeatureWriter,
  type FeatureEvent,
} from '@dmp/features';
import { binaryVersion, findBinary, freePort } from '@dmp/local-servers';

import type { SuiteOptions } from '../main';
import type { SuiteResult } from '../result';
import { BUILD, DEFAULT_WORKLOAD, WorkloadEvents } from './feature-workload';

const log = (text: string): void => void process.stderr.write(`feature-write-cost: ${text}\n`);

/** Where ours spends its instructions: Redis functions, as shares of the total (inclusive). */
const BREAKDOWN = [
  'scriptCall',
  'zincrbyCommand',
  'zzlInsert',
  'hsetCommand',
  'hgetCommand',
  'expireCommand',
  'pfaddCommand',
  'zcardCommand',
  'setCommand',
  'mp_unpack',
  'lua_pushlstring',
  'strtod',
  '__printf_fp',
  'luaL_addlstring',
];

/** Events applied before counting starts, and counted. */
function count(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

interface Counted {
  instructionsPerEvent: number;
  breakdownPercent?: Record<string, number>;
}

/**
 * A redis-server under valgrind's callgrind. `measure` zeroes the counters, runs `work`, and returns the
 * instructions Redis executed meanwhile (from a dump), so that start-up and warm-up are not counted.
 */
async function countedRedis(): Promise<{
  redis: Redis;
  measure: (work: () => Promise<void>, events: number, breakdown: boolean) => Promise<Counted>;
  stop: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'dmp-write-cost-'));
  const port = await freePort();
  const out = join(dir, 'callgrind.out');
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      findBinary('redis-server', 'REDIS_SERVER_BIN'),
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' }
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const redis = new Redis({ port, host: '127.0.0.1', enableAutoPipelining: true, lazyConnect: true });
  redis.on('error', () => undefined); // refused connections while valgrind starts Redis
  for (let attempt = 0; ; attempt++) {
    try {
      await redis.connect();
      await redis.ping();
      break;
    } catch (error) {
      if (attempt > 300) throw error;
      redis.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 100)); // valgrind starts Redis in seconds
    }
  }
  let dumps = 0;
  const control = (...args: string[]): void => {
    const result = spawnSync('callgrind_control', [...args, String(child.pid)], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`callgrind_control ${args.join(' ')} failed: ${result.stderr}`);
  };
  return {
    redis,
    measure: async (work, events, breakdown) => {
      control('-z');
      await work();
      control('-d');
      const file = `${out}.${++dumps}`;
      const total = Number(/^summary: (\d+)/m.exec(readFileSync(file, 'utf8'))?.[1] ?? NaN);
      const counted: Counted = { instructionsPerEvent: Math.round(total / events) };
      if (breakdown) {
        const annotated = spawnSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', file], {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        }).stdout;
        counted.breakdownPercent = Object.fromEntries(
          BREAKDOWN.map((fn) => {
            const line = annotated.split('\n').find((l) => new RegExp(`[:?]${fn} \\[`).test(l));
            const ir = Number(line?.trim().split(/\s+/)[0]?.replace(/,/g, '') ?? 0);
            return [fn, Number(((ir / total) * 100).toFixed(1))];
          })
        );
      }
      return counted;
    },
    stop: async () => {
      await redis.shutdown('NOSAVE').catch(() => undefined);
      redis.disconnect();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function applyAll(events: readonly FeatureEvent[], apply: (event: FeatureEvent) => Promise<unknown>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < events.length) await apply(events[next++]!);
  };
  await Promise.all(Array.from({ length: 64 }, worker));
}

/**
 * `feature-write-cost`: what applying one event costs Redis, in instructions counted by valgrind's
 * callgrind: repeatable to ~0.3 %, where CPU time on our shared 2-core host varies by ±20 %, so a change to
 * the apply script can be judged by it. ours = the apply script with the default features; limit = the
 * least an exactly-once write does: the partition's watermark (HSET) and one counter (HINCRBY). Both
 * over the same events after the same warm-up; reported as events per 10^9 Redis instructions, with where
 * ours spends them. Needs valgrind (Debian: apt install valgrind). Knobs: BENCH_WARM_EVENTS (8000),
 * BENCH_COUNTED_EVENTS (2000).
 */
export async function featureWriteCostSuite(_options: SuiteOptions): Promise<SuiteResult> {
  const warm = count('BENCH_WARM_EVENTS', 8_000);
  const counted = count('BENCH_COUNTED_EVENTS', 2_000);
  // A fixed clock: the same events, times and ids on every run.
  const source = new WorkloadEvents({ ...DEFAULT_WORKLOAD, events: warm + counted }, 1_790_000_000_000);
  const events = Array.from({ length: warm + counted }, () => source.next());
  const target = { build: BUILD, features: compileFeatureSet(DEFAULT_FEATURES) };

  const run = async (
    label: string,
    apply: (redis: Redis) => (event: FeatureEvent) => Promise<unknown>,
    breakdown: boolean
  ): Promise<Counted> => {
    const server = await countedRedis();
    try {
      log(`${label}: ${warm} events to warm up (under valgrind: a minute or two)`);
      const step = apply(server.redis);
      await applyAll(events.slice(0, warm), step);
      log(`${label}: ${counted} events counted`);
      return await server.measure(() => applyAll(events.slice(warm), step), counted, breakdown);
    } finally {
      await server.stop();
    }
  };

  const ours = await run(
    'ours',
    (redis) => {
      const writer = new FeatureWriter(redis);
      let seq = 0;
      return (event) => writer.apply(event, target, { partition: 0, seq: ++seq });
    },
    true
  );
  const limit = await run(
    'limit',
    (redis) => {
      let seq = 0;
      return (event) => {
        const prefix = buildPrefix(event.tenantId, BUILD);
        return redis
          .pipeline()
          .hset(featureKeys.watermarks(prefix, String(entityGroup(event.subject))), '0', ++seq)
          .hincrby(featureKeys.entity(prefix, 'user', event.subject), 'events', 1)
          .exec();
      };
    },
    false
  );
  const perBillion = (c: Counted): number => Math.round(1e9 / c.instructionsPerEvent);
  return {
    suite: 'feature-write-cost',
    unit: 'events per 10^9 Redis instructions',
    ours: perBillion(ours),
    limit: perBillion(limit),
    details: {
      redisServer: binaryVersion(findBinary('redis-server', 'REDIS_SERVER_BIN')),
      warmEvents: warm,
      countedEvents: counted,
      features: DEFAULT_FEATURES.features.length,
      oursInstructionsPerEvent: ours.instructionsPerEvent,
      limitInstructionsPerEvent: limit.instructionsPerEvent,
      oursBreakdownPercent: ours.breakdownPercent,
      notes:
        'Instructions of the redis-server process (valgrind callgrind), between zeroing the counters and a dump; ' +
        'breakdown = inclusive share of the total per Redis function (scriptCall: every redis.call from the ' +
        'script, commands included).',
    },
  };
}
