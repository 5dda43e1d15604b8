/** Resolves after `ms`, or rejects early with the signal's reason. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true }
    );
  });
}

/** Exponential backoff with full jitter: a random wait in [0, min(cap, base * 2^attempt)). */
export function backoffMs(attempt: number, baseMs = 50, capMs = 2_000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}
