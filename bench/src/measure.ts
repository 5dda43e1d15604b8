import { runLoad, type LoadResult, type LoadSpec } from './load';
import { cpuSeconds } from './proc';

/** Runs the load and measures the servers' CPU (per process and in total) over exactly the measured period. */
export async function measure(
  spec: LoadSpec,
  servers: Record<string, number>
): Promise<LoadResult & { cpuMsPerCallByProcess: Record<string, number> }> {
  const read = (): Record<string, number> =>
    Object.fromEntries(Object.entries(servers).map(([name, pid]) => [name, cpuSeconds(pid)]));
  let atStart: Record<string, number> = {};
  let used: Record<string, number> = {};
  const result = await runLoad(spec, (phase) => {
    if (phase === 'measuring') atStart = read();
    else used = Object.fromEntries(Object.entries(read()).map(([name, s]) => [name, s - (atStart[name] ?? 0)]));
  });
  const perCall = (seconds: number): number => (result.calls ? (seconds * 1000) / result.calls : 0);
  return {
    ...result,
    serverCpuMsPerCall: perCall(Object.values(used).reduce((a, b) => a + b, 0)),
    cpuMsPerCallByProcess: Object.fromEntries(Object.entries(used).map(([name, s]) => [name, perCall(s)])),
  };
}

/** The latency figures of an open-loop run, and how far it fell short of the rate asked. */
export function latencyAtRate(
  result: LoadResult
): Pick<LoadResult, 'rps' | 'p50Ms' | 'p90Ms' | 'p99Ms' | 'errors' | 'dropped' | 'sendLagP99Ms'> {
  const { rps, p50Ms, p90Ms, p99Ms, errors, dropped, sendLagP99Ms } = result;
  return { rps, p50Ms, p90Ms, p99Ms, errors, dropped, sendLagP99Ms };
}

export function redisPid(pid: number | undefined): number {
  if (pid === undefined) throw new Error('redis-server is not running');
  return pid;
}
