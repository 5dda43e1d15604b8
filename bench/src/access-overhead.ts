import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { AccessGate, activeKey, POLICY, RequestQuotas } from '@dmp/access';

import { BENCH_API_KEY, BENCH_KEY_RECORD } from './bench-key';
import type { LoadSpec } from './load';
import { measure } from './measure';

export interface AccessOverhead {
  /** The checks alone, in process: key parsed, hashed and looked up, scope, tenant, quota (microseconds). */
  checksUsPerCall: number;
  /** That as a share of our path's server CPU per call. */
  checksShareOfOurs: number;
  /** Server CPU per call of the bare echo and of the echo behind the access interceptor, same run. */
  echoCpuMsPerCall: number;
  echoWithKeysCpuMsPerCall: number;
  /** What checking the key adds to a call (the difference), and its share of our path's server CPU per call. */
  addedCpuMsPerCall: number;
  shareOfOurs: number;
}

/**
 * What API keys cost a call, measured as the difference between two echo servers in the same run: bare, and
 * behind the services' access interceptor (key parsed, hashed, looked up, scope and tenant checked). Both get
 * the key in metadata, so only the server's checking differs. Our path carries the same interceptor, so its
 * CPU per call includes this cost; shareOfOurs is the part of it that access control is.
 */
export async function accessOverhead(
  echoSpec: Omit<LoadSpec, 'target'>,
  oursCpuMsPerCall: number,
  bareEcho?: { cpuMsPerCall: number }
): Promise<AccessOverhead> {
  const bare = bareEcho?.cpuMsPerCall ?? (await echoCpuMsPerCall(echoSpec, false));
  const withKeys = await echoCpuMsPerCall(echoSpec, true);
  const checksUsPerCall = checksCostUs();
  return {
    checksUsPerCall,
    checksShareOfOurs: oursCpuMsPerCall > 0 ? checksUsPerCall / 1000 / oursCpuMsPerCall : 0,
    echoCpuMsPerCall: bare,
    echoWithKeysCpuMsPerCall: withKeys,
    addedCpuMsPerCall: withKeys - bare,
    shareOfOurs: oursCpuMsPerCall > 0 ? (withKeys - bare) / oursCpuMsPerCall : 0,
  };
}

/**
 * What the interceptor's checks cost one call, run in this process many times: the two echoes above differ by
 * less than this machine's noise, so this is the figure that resolves it.
 */
function checksCostUs(): number {
  const keys = new Map([[BENCH_KEY_RECORD.id, activeKey(BENCH_KEY_RECORD)]]);
  const gate = new AccessGate((id) => keys.get(id));
  const quotas = new RequestQuotas({ tenantRate: () => 1e9, replicas: () => 3 });
  const rule = POLICY['/dmp.decisioning.v1.DecisioningService/Recommend']!;
  const authorization = `Bearer ${BENCH_API_KEY}`;
  const once = (): void => {
    const admission = gate.authenticate(authorization);
    if ('refusal' in admission) throw new Error(admission.refusal.message);
    if (gate.permits(admission.key, rule, 'Recommend') || gate.coversTenant(admission.key, 'bench'))
      throw new Error('refused');
    if (quotas.take(admission.key, 'bench', 'serve')) throw new Error('over quota');
  };
  for (let i = 0; i < 20_000; i++) once();
  const calls = 200_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) once();
  return Number(process.hrtime.bigint() - t0) / 1e3 / calls;
}

async function echoCpuMsPerCall(echoSpec: Omit<LoadSpec, 'target'>, withKeys: boolean): Promise<number> {
  const echo = spawn(process.execPath, [join(__dirname, 'echo-server.js'), ...(withKeys ? ['--access'] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ECHO_KEY_RECORD: JSON.stringify(BENCH_KEY_RECORD) },
  });
  try {
    const port = await new Promise<number>((ok) => echo.stdout.once('data', (d: Buffer) => ok(Number(d.toString()))));
    const result = await measure({ ...echoSpec, target: `127.0.0.1:${port}` }, { echo: echo.pid! });
    if (result.errors > 0) throw new Error(`echo${withKeys ? ' with keys' : ''}: ${result.errors} calls failed`);
    return result.serverCpuMsPerCall ?? 0;
  } finally {
    echo.kill('SIGTERM');
  }
}

/** The RESULT line of an access overhead. */
export function accessOverheadLine(suite: string, overhead: AccessOverhead): string {
  return (
    `RESULT ${suite}-access-overhead added_cpu_ms=${overhead.addedCpuMsPerCall.toFixed(4)} ` +
    `echo_cpu_ms=${overhead.echoCpuMsPerCall.toFixed(4)} echo_with_keys_cpu_ms=${overhead.echoWithKeysCpuMsPerCall.toFixed(4)} ` +
    `share_of_ours=${(overhead.shareOfOurs * 100).toFixed(2)}% checks_us=${overhead.checksUsPerCall.toFixed(2)} ` +
    `checks_share_of_ours=${(overhead.checksShareOfOurs * 100).toFixed(2)}%\n`
  );
}
