/**
 * Test harness: real nats-server and redis-server processes on free ports (no mocks of them), the real
 * service entrypoints started as processes, typed clients, and polling helpers. Every test file starts its
 * own servers, so files run in parallel without sharing a stream or a key.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { expect } from 'vitest';

import { ALL_TENANTS, mintApiKey, SCOPES, storeApiKey } from '@dmp/access';
import {
  apiClients,
  callUnary,
  type ClientOptions,
  type FeatureStoreServiceClient,
  type GetFeaturesResponse__Output,
} from '@dmp/grpc';
import {
  startNatsServer,
  startRedisServer,
  startServiceProcess,
  type LocalServer,
  type ServiceName,
  type ServiceProcess,
} from '@dmp/local-servers';
import { createTenant } from '@dmp/messaging';
import { ModelRegistry, type ModelCard } from '@dmp/scorer';

import { recordStores } from './pii-scan';

export { callUnary } from '@dmp/grpc';
export { checkHealth } from '@dmp/local-servers';

export const REPO_ROOT = resolve(__dirname, '..', '..');
/** Where the suite's PII scan collects what tests leave behind (set by pii-scan.ts for the whole run). */
const ARTIFACTS = process.env['DMP_TEST_ARTIFACTS'];
/** The identity HMAC key of this test run: random, so no test depends on a known secret. */
export const TEST_HMAC_KEYS = `test:${randomBytes(32).toString('base64')}`;
/**
 * The API key test clients send: every tenant, every scope, random per run. startServers() stores it; tests of
 * access control make their own narrower keys.
 */
const testKey = mintApiKey({
  tenantId: ALL_TENANTS,
  kind: 'secret',
  scopes: [...SCOPES],
  name: 'tests',
  createdBy: 'tests',
});
export const TEST_API_KEY = testKey.token;
export const TEST_API_KEY_RECORD = testKey.record;
export const MODELS_DIR = resolve(REPO_ROOT, 'services', 'trainer', 'models');
/** The repo's demo ranking model (MLP) and its tree-ensemble twin, as the trainer writes them. */
export const MODEL_PATH = resolve(MODELS_DIR, 'demo-ranker.onnx');
export const TREES_MODEL_PATH = resolve(MODELS_DIR, 'demo-ranker-trees.onnx');

/** Publishes model files to the registry and makes each its name's champion: what `dmp up` does. */
export async function publishModels(nc: NatsConnection, paths = [MODEL_PATH]): Promise<ModelCard[]> {
  const registry = await ModelRegistry.open(nc);
  return Promise.all(paths.map((path) => registry.publishFile(path, { promote: true })));
}

export interface Servers {
  nats: LocalServer;
  redis: LocalServer;
  /** A NATS connection for the test itself (stream inspection, tenants). */
  nc: NatsConnection;
  stop(): Promise<void>;
}

/** Starts a private nats-server (JetStream) and redis-server for one test file. */
export async function startServers(): Promise<Servers> {
  const [nats, redis] = await Promise.all([startNatsServer(), startRedisServer()]);
  const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  await storeApiKey(nc, testKey.record);
  return {
    nats,
    redis,
    nc,
    stop: async () => {
      if (ARTIFACTS) await recordStores(nc, redis.url);
      await nc.close();
      await Promise.all([nats.stop(), redis.stop()]);
    },
  };
}

/** Starts a service process against the given servers and (unless told not to) waits for readiness. */
export function startService(
  name: ServiceName,
  servers: { nats: { url: string }; redis: { url: string } },
  env: Record<string, string> = {},
  options: { waitServing?: boolean } = {}
): Promise<ServiceProcess> {
  return startServiceProcess({
    name,
    repoRoot: REPO_ROOT,
    // Under the suite's PII scan (pii-scan.ts), every line and span a service writes is kept for it.
    ...(ARTIFACTS && { logFile: join(ARTIFACTS, `${name}-${randomUUID()}.log`) }),
    env: {
      NATS_URL: servers.nats.url,
      REDIS_URL: servers.redis.url,
      IDENTITY_HMAC_KEYS: TEST_HMAC_KEYS,
      DMP_API_KEY: TEST_API_KEY,
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
      SHUTDOWN_GRACE_MS: '5000',
      ...(ARTIFACTS && { OTEL_TRACES_EXPORTER: 'console' }),
      ...env,
    },
    ...options,
  });
}

export async function addTenant(nc: NatsConnection, tenantId: string, eventsPerSecond?: number): Promise<void> {
  await createTenant(nc, tenantId, eventsPerSecond === undefined ? {} : { eventsPerSecond });
}

/** Typed clients of the APIs (default deadline 1 s), sending TEST_API_KEY unless told another key. */
export const clients = Object.fromEntries(
  Object.entries(apiClients).map(([name, make]) => [
    name,
    (address: string, options: ClientOptions = {}) => make(address, { apiKey: TEST_API_KEY, ...options }),
  ])
) as unknown as typeof apiClients;

/** A bad request, the status it must get, and the field its message must start with ('' for none). */
export type BadInput<Req> = [name: string, request: Req, code: keyof typeof grpc.status, field: string];

/**
 * Sends each bad request and checks its status code, that the message names the field first, and that no
 * stack trace reaches the caller.
 */
export async function expectRejected<Req>(
  send: (request: Req) => Promise<unknown>,
  cases: BadInput<Req>[]
): Promise<void> {
  for (const [name, request, code, field] of cases) {
    const error = await rpcError(send(request));
    expect({ name, code: grpc.status[error.code] }).toEqual({ name, code });
    if (field) expect(error.details.startsWith(`${field}:`), `${name}: "${error.details}"`).toBe(true);
    expect(error.details, name).not.toMatch(/\n\s+at /);
  }
}

/** The error a failed call rejected with, as { code, details }; fails the test if the call succeeded. */
export async function rpcError(call: Promise<unknown>): Promise<{ code: grpc.status; details: string }> {
  try {
    await call;
  } catch (error) {
    const { code, details } = error as grpc.ServiceError;
    return { code, details };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * Polls `condition` until it holds; throws with `what` after `timeoutMs`. This waits for an observable
 * state, never for an amount of time.
 */
export async function waitFor(
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 20_000
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Stores a campaign (its JSON document) through decisioning's CampaignService at `address`, as an admin would. */
export async function putCampaign(address: string, tenantId: string, campaign: Record<string, unknown>): Promise<void> {
  const admin = clients.campaigns(address);
  try {
    await callUnary((done) => admin.PutCampaign({ tenantId, campaignJson: JSON.stringify(campaign) }, done));
  } finally {
    admin.close();
  }
}

/** One numeric feature of one user, as GetFeatures serves it; undefined when absent or the call fails. */
export async function userFeature(
  store: FeatureStoreServiceClient,
  tenantId: string,
  userId: string,
  feature: string
): Promise<number | undefined> {
  const answer = await callUnary<GetFeaturesResponse__Output>((done) =>
    store.GetFeatures({ tenantId, entityType: 'ENTITY_TYPE_USER', entityIds: [userId], featureNames: [feature] }, done)
  ).catch(() => undefined);
  return answer?.entities[0]?.values[0]?.numberValue ?? undefined;
}

/** A process's resident memory in MiB, from /proc (memory bounds in fuzz tests). */
export const residentMiB = (pid: number): number =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Reads one metric's value from a service's /metrics, summing series whose labels contain `labels`. */
export async function metricValue(
  metricsPort: number,
  name: string,
  labels: Record<string, string> = {}
): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.split(' ').pop());
  }
  return sum;
}

export interface StoredMessage {
  seq: number;
  subject: string;
  msgId: string | undefined;
  data: Uint8Array;
}

/** Waits until the test's own connection reaches JetStream again, e.g. after restarting nats-server. */
export async function waitForJetStream(nc: NatsConnection): Promise<void> {
  await waitFor('JetStream reachable from the test', async () => {
    try {
      await (await jetstreamManager(nc, { timeout: 1_000 })).getAccountInfo();
      return true;
    } catch {
      return false;
    }
  });
}

/** Every message in a stream, in order (for tests: it reads one message per request). */
export async function readStream(nc: NatsConnection, stream: string): Promise<StoredMessage[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const messages: StoredMessage[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    if (m) messages.push({ seq, subject: m.subject, msgId: m.header.get('Nats-Msg-Id') || undefined, data: m.data });
  }
  return messages;
}

export { describeSymbol, listServices } from './reflection';
export { startTcpProxy, type TcpProxy } from './tcp-proxy';
/** Real clusters for the tests that need what one server hides: a Redis Cluster, a NATS JetStream cluster. */
export { startNatsCluster, startRedisCluster, type LocalCluster } from '@dmp/local-servers';
export { keySpread, type KeySpread } from './key-spread';
