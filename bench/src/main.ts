/**
 * `pnpm bench <suite>`: each suite measures our path AND its physical limit in the same run and prints
 * `RESULT <suite> ours=<x> limit=<y> ratio=<x/y> unit=<u>` as its last line (also bench/results/<suite>.json).
 * BENCH_SECONDS (default 10) and BENCH_CONCURRENCY (default 32) size the measured period.
 */
import { resolve } from 'node:path';

import { report, type SuiteResult } from './result';
import { recommendSuite } from './suites/recommend';

const SUITES: Record<string, (options: { seconds: number; concurrency: number }) => Promise<SuiteResult>> = {
  recommend: recommendSuite,
};

async function main(): Promise<void> {
  const name = process.argv[2];
  const suite = name ? SUITES[name] : undefined;
  if (!suite) {
    process.stderr.write(`usage: pnpm bench <suite>   suites: ${Object.keys(SUITES).join(', ')}\n`);
    process.exit(2);
  }
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
  const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 32);
  report(await suite({ seconds, concurrency }), resolve(__dirname, '..', 'results'));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
