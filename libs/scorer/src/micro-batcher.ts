/** What a MicroBatcher runs: one model version. */
export interface BatchRunner {
  readonly width: number;
  score(rows: Float32Array): Promise<Float32Array>;
}

/** Most rows one coalesced run carries; a bigger call runs on its own. */
const MAX_BATCH_ROWS = 4_096;

/**
 * Joins the small calls that arrive in the same turn of the event loop (one socket read can carry many
 * gRPC requests) into one ORT run: per-run overhead dominates small models, so N one-row calls cost about
 * one run instead of N. No timer: a call waits at most until the end of the current turn (setImmediate),
 * so a lone call pays microseconds, never a batching window.
 */
export class MicroBatcher {
  private queue: { rows: Float32Array; resolve: (s: Float32Array) => void; reject: (e: unknown) => void }[] = [];
  private queuedRows = 0;

  constructor(private readonly runner: BatchRunner) {}

  score(rows: Float32Array): Promise<Float32Array> {
    const count = rows.length / this.runner.width;
    if (count >= MAX_BATCH_ROWS) return this.runner.score(rows);
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => void this.flush());
      this.queue.push({ rows, resolve, reject });
      this.queuedRows += count;
      if (this.queuedRows >= MAX_BATCH_ROWS) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.queuedRows = 0;
    if (batch.length === 1) {
      const only = batch[0]!;
      return this.runner.score(only.rows).then(only.resolve, only.reject);
    }
    const input = new Float32Array(batch.reduce((n, call) => n + call.rows.length, 0));
    let offset = 0;
    for (const call of batch) {
      input.set(call.rows, offset);
      offset += call.rows.length;
    }
    try {
      const scores = await this.runner.score(input);
      let row = 0;
      for (const call of batch) {
        const n = call.rows.length / this.runner.width;
        call.resolve(scores.subarray(row, row + n));
        row += n;
      }
    } catch (error) {
      for (const call of batch) call.reject(error);
    }
  }
}
