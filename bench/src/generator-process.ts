import { spawn } from 'node:child_process';

export type Phase = 'measuring' | 'done';

/**
 * Runs a load generator module in its own process, so that its CPU is not charged to the servers it
 * drives. `args` reach the module's command line (a spec as JSON, last); `onPhase` fires with `measuring`
 * when its warm-up ends and with `done` when its measured period ends, so that the caller reads server CPU
 * over exactly that period. Resolves with the JSON the generator printed.
 */
export function runGenerator<Result>(
  name: string,
  modulePath: string,
  args: string[],
  onPhase: (phase: Phase) => void
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [modulePath, ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('message', (message) => {
      if (message === 'measuring' || message === 'done') onPhase(message);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Result) : reject(new Error(`${name} exited with ${code}`))
    );
  });
}

/** The generator's side: runs `work`, prints its result as JSON and exits (1, with the error, if it failed). */
export function serveGenerator(work: () => Promise<unknown>): void {
  work().then(
    (result) => {
      if (result !== undefined) process.stdout.write(JSON.stringify(result));
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    }
  );
}
