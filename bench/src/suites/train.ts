/**
 * `train`: what a tenant's training costs (services/trainer: candidate tables, the rankers, the hold-out,
 * the tables again on everything, ONNX), on a seeded synthetic shop of BENCH_INTERACTIONS (1,000,000)
 * interactions over BENCH_ITEMS (20,000) items, against its physical limit in the same run: reading the same
 * interactions and one dense EASE^R solve of them (dmp_trainer.limit), which any EASE^R must do at least.
 * Reports minutes and peak memory of both (the goal: at most 5 min and 4 GiB on 2 cores), and the time of
 * each phase of the training.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { demoEvents } from '@dmp/demo-data';

import type { SuiteOptions } from '../main';
import type { SuiteResult } from '../result';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const TRAINER = join(REPO_ROOT, 'services', 'trainer');

const log = (text: string): void => void process.stderr.write(`train: ${text}\n`);

/** Runs a command; its stdout and wall time. */
function run(command: string, args: string[], cwd: string): Promise<{ stdout: string; seconds: number }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(`  ${line}`);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolvePromise({ stdout, seconds: (performance.now() - started) / 1000 })
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))
    );
  });
}

/** The trainer's interactions.csv, one row per (event, item), from the seeded shop. */
function writeShop(dir: string, interactions: number, items: number): { rows: number; users: number } {
  const users = Math.round(interactions / 20);
  const file = openSync(join(dir, 'interactions.csv'), 'w');
  writeSync(file, 'user,item,timestamp_ms,type\n');
  let rows = 0;
  let chunk = '';
  const events = demoEvents({
    seed: 7,
    users,
    items,
    categories: Math.max(1, Math.round(items / 100)),
    events: interactions,
    endMs: Date.now(),
  });
  for (const event of events) {
    for (const item of event.itemIds) {
      chunk += `${event.userId},${item},${event.occurredAtMs},${event.type}\n`;
      rows++;
    }
    if (chunk.length > 1 << 20) {
      writeSync(file, chunk);
      chunk = '';
    }
  }
  writeSync(file, chunk);
  closeSync(file);
  return { rows, users };
}

export async function trainSuite(_options: SuiteOptions): Promise<SuiteResult> {
  const interactions = Number(process.env['BENCH_INTERACTIONS'] ?? 1_000_000);
  const items = Number(process.env['BENCH_ITEMS'] ?? 20_000);
  const dir = mkdtempSync(join(tmpdir(), 'dmp-bench-train-'));
  try {
    log(`generating ${interactions} interactions over ${items} items …`);
    const shop = writeShop(dir, interactions, items);
    // The trainer's virtualenv, made if missing (train.sh), by a run that is not timed.
    await run('sh', [join(TRAINER, 'train.sh'), '--help'], TRAINER);

    log('the limit: read + one dense EASE^R solve …');
    const python = join(TRAINER, '.venv', 'bin', 'python');
    const limit = JSON.parse((await run(python, ['-m', 'dmp_trainer.limit', dir], TRAINER)).stdout) as {
      seconds: number;
      peakRssMb: number;
      items: number;
    };
    log('ours: a whole training …');
    const out = join(dir, 'out');
    const ours = await run(
      python,
      ['-m', 'dmp_trainer.train', '--data', dir, '--out', out, '--name', 'recommend-bench'],
      TRAINER
    );
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      seconds: number;
      peakRssMb: number;
      phases: Record<string, number>;
      data: { interactions: number; users: number; items: number };
      holdout: { chosen: string; rankers: Record<string, { ndcg: number }> };
      gate: { passed: boolean };
    };
    return {
      suite: 'train',
      unit: 'trainings/h',
      ours: 3600 / ours.seconds,
      limit: 3600 / limit.seconds,
      details: {
        data: { ...report.data, generatedRows: shop.rows },
        ours: {
          minutes: Number((ours.seconds / 60).toFixed(2)),
          peakRssMiB: report.peakRssMb,
          phasesSeconds: report.phases,
          chosen: report.holdout.chosen,
          holdoutNdcg: report.holdout.rankers,
          gatePassed: report.gate.passed,
        },
        limit: { minutes: Number((limit.seconds / 60).toFixed(2)), peakRssMiB: limit.peakRssMb },
        goal: { minutes: 5, peakRssMiB: 4096 },
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
