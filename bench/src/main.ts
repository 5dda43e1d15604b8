/**
 * `pnpm bench <suite>`: each suite measures our path AND its physical limit in the same run and prints
 * `RESULT <suite> ours=<x> limit=<y> ratio=<x/y> unit=<u>` as its last line (also bench/results/<suite>.json).
 * BENCH_SECONDS (default 10) sizes the measured period; BENCH_CONCURRENCY sets the calls in flight (the suite's
 * default when unset: 32 Recommend calls, 4 intake batches).
 */
import { resolve } from 'node:path';

import { report, type SuiteResult } from './result';
import { decideSuite } from './suites/decide';
import { featureMemorySuite } from './suites/feature-memory';
import { featureWriteCostSuite } from './suites/feature-write-cost';
import { featuresSuite } from './suites/features';
import { intakeSuite } from './suites/intake';
import { keysSuite } from './suites/keys';
import { recommendSuite } from './suites/recommend';
import { scoringSuite } from './suites/scoring';
import { segmentsSuite } from './suites/segments';
import { streamStorageSuite } from './suites/stream-storage';
import { trainSuite } from './suites/train';

/** Each suite picks its own defaults for what is not set. */
export interface SuiteOptions {
  seconds?: number;
  concurrency?: number;
}

const SUITES: Record<string, (options: SuiteOptions) => Promise<SuiteResult>> = {
  recommend: recommendSuite,
  decide: decideSuite,
  intake: intakeSuite,
  keys: keysSuite,
  features: featuresSuite,
  'feature-memory': featureMemorySuite,
  'feature-write-cost': featureWriteCostSuite,
  scoring: scoringSuite,
  segments: segmentsSuite,
  'stream-storage': streamStorageSuite,
  train: trainSuite,
};

async function main(): Promise<void> {
  const name = process.argv[2];
  const suite = name ? SUITES[name] : undefined;
  if (!suite) {
    process.stderr.write(`usage: pnpm bench <suite>   suites: ${Object.keys(SUITES).join(', ')}\n`);
    process.exit(2);
  }
  const seconds = process.env['BENCH_SECONDS'] ? Number(process.env['BENCH_SECONDS']) : undefined;
  const concurrency = process.env['BENCH_CONCURRENCY'] ? Number(process.env['BENCH_CONCURRENCY']) : undefined;
  report(
    await suite({ ...(seconds !== undefined && { seconds }), ...(concurrency !== undefined && { concurrency }) }),
    resolve(__dirname, '..', 'results')
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
