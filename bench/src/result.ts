import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SuiteResult {
  suite: string;
  unit: string;
  /** Our path's figure, in `unit` (higher is better). */
  ours: number;
  /** The physical limit's figure, measured in the same run. */
  limit: number;
  details: Record<string, unknown>;
}

/** Prints the details and the RESULT line, and writes the same as JSON to bench/results/<suite>.json. */
export function report(result: SuiteResult, resultsDir: string): void {
  const ratio = result.limit === 0 ? 0 : result.ours / result.limit;
  const fixed = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));
  const record = {
    ...result,
    ratio,
    node: process.version,
    cpus: (process.env['BENCH_CPUS'] ?? '') || undefined,
    at: new Date().toISOString(),
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${result.suite}.json`), JSON.stringify(record, null, 2) + '\n');
  process.stdout.write(JSON.stringify(result.details, null, 2) + '\n');
  process.stdout.write(
    `RESULT ${result.suite} ours=${fixed(result.ours)} limit=${fixed(result.limit)} ratio=${ratio.toFixed(3)} unit=${result.unit}\n`
  );
}
