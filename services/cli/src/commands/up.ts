import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';

import { connect, type NatsConnection } from '@nats-io/transport-node';

import {
  binaryVersion,
  findBinary,
  SERVICE_NAMES,
  startNatsServer,
  startRedisServer,
  startServiceProcess,
  type LocalServer,
  type ServiceName,
  type ServiceProcess,
} from '@dmp/local-servers';
import { DEFAULT_DEMO, DEFAULT_VIDEO_DEMO, demoEvents, ingestEvents, videoCatalog, videoEvents } from '@dmp/demo-data';
import { callUnary, type IntakeServiceClient, type UpsertItemsResponse__Output } from '@dmp/grpc';
import { createTenant } from '@dmp/messaging';

import { intakeClient } from '../clients';
import { devHmacKeys } from '../dev-keys';
import { featuresCaughtUp } from '../features-caught-up';
import { publishRepoModels } from './models';

/** nats-server version `dmp up` installs with `go install` when none is found. */
export const NATS_SERVER_VERSION = 'v2.12.15';
/** The pnpm of package.json's packageManager, for examples run through npx. */
const PNPM_VERSION = '10.28.1';

const PORTS: Record<ServiceName, { grpc: number; metrics: number; http?: number }> = {
  // http: intake's HTTP/JSON door (POST /v1/events, GET /readyz).
  'event-intake': { grpc: 50051, metrics: 9464, http: 50080 },
  'feature-store': { grpc: 50052, metrics: 9465 },
  scoring: { grpc: 50053, metrics: 9466 },
  decisioning: { grpc: 50054, metrics: 9467 },
  delivery: { grpc: 50055, metrics: 9468 },
};
/** The fake SMS/push/e-mail gateway the delivery service posts to here (GET it to see what it got). */
const FAKE_GATEWAY_PORT = 50090;

export interface UpOptions {
  repoRoot: string;
  natsUrl: string;
  redisUrl: string;
  demo: boolean;
}

const say = (line: string): void => void process.stdout.write(line + '\n');

/**
 * Runs the whole platform on this machine: NATS and Redis (started here unless already reachable at
 * their URLs), the four services, and with --demo a demo tenant with a seeded shop's events. Ctrl-C
 * stops everything it started and nothing else.
 */
export async function up(options: UpOptions): Promise<void> {
  const started: { servers: LocalServer[]; services: ServiceProcess[]; gateway?: ChildProcess } = {
    servers: [],
    services: [],
  };
  let stopping = false;
  const stopAll = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say('\nstopping …');
    await Promise.all(started.services.map((s) => s.stop('SIGTERM')));
    started.gateway?.kill('SIGTERM');
    await Promise.all(started.servers.map((s) => s.stop('SIGTERM')));
    say('stopped.');
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  try {
    const logDir = join(options.repoRoot, '.dmp', 'logs');
    mkdirSync(logDir, { recursive: true });

    const nats = await reachOrStart('nats-server', options.natsUrl, started.servers);
    const redis = await reachOrStart('redis-server', options.redisUrl, started.servers);

    const env = {
      NATS_URL: nats,
      REDIS_URL: redis,
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
    };
    // Scoring and decisioning serve models from the registry: the repo's are there before they start.
    const models = await publishRepoModels(nats, join(options.repoRoot, 'services', 'trainer', 'models'));
    say(`  ${'models'.padEnd(14)} ${models.join(', ')}`);
    // The same dev key every run, so hashes of phone numbers and emails stay stable across restarts.
    const hmac = devHmacKeys(options.repoRoot);
    say(`  ${'hmac keys'.padEnd(14)} ${hmac.created ? 'made a new dev key in' : 'dev key from'} ${hmac.file}`);
    // Triggered offers go to a fake gateway, signed with a key made for this run.
    const webhookSecret = randomBytes(24).toString('base64url');
    await checkPortFree(FAKE_GATEWAY_PORT, 'fake gateway');
    started.gateway = spawn(
      process.execPath,
      [join(options.repoRoot, 'services', 'delivery', 'dist', 'fake-gateway-main.js')],
      {
        env: { ...process.env, PORT: String(FAKE_GATEWAY_PORT), WEBHOOK_SECRET: webhookSecret },
        stdio: ['ignore', createWriteStream(join(logDir, 'fake-gateway.log')), 'inherit'],
      }
    );
    say(`  ${'fake gateway'.padEnd(14)} http://127.0.0.1:${FAKE_GATEWAY_PORT}/deliver  (GET it for what it received)`);
    const serviceEnv: Partial<Record<ServiceName, Record<string, string>>> = {
      'event-intake': { IDENTITY_HMAC_KEYS: hmac.keys, HTTP_PORT: String(PORTS['event-intake'].http) },
      delivery: {
        WEBHOOK_URLS: `http://127.0.0.1:${FAKE_GATEWAY_PORT}/deliver`,
        WEBHOOK_SECRET: webhookSecret,
        INTAKE_ADDR: `127.0.0.1:${PORTS['event-intake'].grpc}`,
      },
    };
    // Intake first: it creates the EVENTS stream that the feature store consumes.
    for (const name of SERVICE_NAMES) {
      await checkPortFree(PORTS[name].grpc, name);
      const httpPort = PORTS[name].http;
      if (httpPort !== undefined) await checkPortFree(httpPort, `${name} (HTTP)`);
      const service = await startServiceProcess({
        name,
        repoRoot: options.repoRoot,
        env: { ...env, ...serviceEnv[name] },
        grpcPort: PORTS[name].grpc,
        metricsPort: PORTS[name].metrics,
        logFile: join(logDir, `${name}.log`),
      });
      started.services.push(service);
      say(
        `  ${name.padEnd(14)} serving on ${service.address}  (metrics :${service.metricsPort}/metrics` +
          `${httpPort !== undefined ? `, HTTP :${httpPort}` : ''})`
      );
      void service.exited.then((code) => {
        if (!stopping) {
          say(`${name} exited with ${code}; see ${join(logDir, `${name}.log`)}`);
          void stopAll().then(() => process.exit(1));
        }
      });
    }

    if (options.demo) await loadDemo(nats);
    // Examples must paste as they are: through npx when pnpm itself is not installed.
    const dmp = has('pnpm') ? 'pnpm dmp' : `npx --yes pnpm@${PNPM_VERSION} dmp`;
    const intakeHttp = `http://127.0.0.1:${PORTS['event-intake'].http}`;
    const curlBody = JSON.stringify({
      tenant_id: 'demo',
      events: [
        {
          event_id: 'curl-1',
          type: 'view',
          identities: { user_id: 'u-0001' },
          item_ids: ['sku-0042'],
          properties: { price: 9.5, currency: 'EUR' },
        },
      ],
    });

    say(`
RTK-DMP is running. Logs: ${logDir}
  intake        127.0.0.1:${PORTS['event-intake'].grpc}   dmp.intake.v1.IntakeService
  intake HTTP   ${intakeHttp}   POST /v1/events, GET /readyz
  feature-store 127.0.0.1:${PORTS['feature-store'].grpc}   dmp.features.v1.FeatureStoreService
  scoring       127.0.0.1:${PORTS.scoring.grpc}   dmp.scoring.v1.ScoringService
  decisioning   127.0.0.1:${PORTS.decisioning.grpc}   dmp.decisioning.v1.DecisioningService, CampaignService
  delivery      127.0.0.1:${PORTS.delivery.grpc}   (health only: sends triggered offers to the fake gateway)
  NATS ${nats}   Redis ${redis}

Try it (in another terminal):
  ${dmp} recommend --tenant demo --user u-0001 -n 5
  ${dmp} next --tenant demo-tv --user v-0001 -n 5
  ${dmp} events send --tenant demo --user u-0001 --type view --item sku-0042 --prop price=9.5
  ${dmp} events send --tenant demo --msisdn '+7 912 345-67-89' --type balance_low --prop balance=12
  ${dmp} event-types list --tenant demo
  ${dmp} failed-events --tenant demo
  ${dmp} features --tenant demo --user u-0001
  ${dmp} models list
  curl -s ${intakeHttp}/v1/events -H 'content-type: application/json' -d '${curlBody}'
  grpcurl -plaintext -d '{"tenant_id":"demo","user_id":"u-0001","n":5}' 127.0.0.1:${PORTS.decisioning.grpc} dmp.decisioning.v1.DecisioningService/Recommend

Ctrl-C stops everything started here.`);
  } catch (error) {
    await stopAll();
    throw error;
  }
  await new Promise<never>(() => undefined);
}

async function loadDemo(natsUrl: string): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    await createTenant(nc, 'demo', { displayName: 'Demo shop' });
    say(
      `loading the demo shop: ${DEFAULT_DEMO.events} events of ${DEFAULT_DEMO.users} users over ${DEFAULT_DEMO.items} items …`
    );
    const client = intakeClient(`127.0.0.1:${PORTS['event-intake'].grpc}`);
    const summary = await ingestEvents(client, 'demo', demoEvents({ ...DEFAULT_DEMO, endMs: Date.now() }));
    say(
      `  intake: ${summary.accepted} accepted, ${summary.duplicate} duplicate (loaded before), ${summary.rejected} rejected`
    );
    await loadStreamingDemo(nc, client);
    client.close();
    await featuresCaughtUp(nc);
    say('  features: up to date');
  } finally {
    await nc.close();
  }
}

/** The demo streaming service, tenant `demo-tv`: a catalog of series and films, and viewers who binge. */
async function loadStreamingDemo(nc: NatsConnection, client: IntakeServiceClient): Promise<void> {
  await createTenant(nc, 'demo-tv', { displayName: 'Demo streaming service' });
  const options = { ...DEFAULT_VIDEO_DEMO, endMs: Date.now() };
  const catalog = videoCatalog(options);
  say(`loading the demo streaming service: ${catalog.length} titles, ${options.events} plays …`);
  // A fixed version: loading again changes nothing.
  const updatedAt = { seconds: '1767225600', nanos: 0 };
  for (let i = 0; i < catalog.length; i += 1_000) {
    await callUnary<UpsertItemsResponse__Output>((done) =>
      client.UpsertItems(
        {
          tenantId: 'demo-tv',
          items: catalog.slice(i, i + 1_000).map((item) => ({
            itemId: item.itemId,
            category: item.genre,
            seriesId: item.seriesId ?? '',
            ...(item.season !== undefined && { season: item.season, episode: item.episode }),
            updatedAt,
          })),
        },
        done
      )
    );
  }
  const summary = await ingestEvents(client, 'demo-tv', videoEvents(options));
  say(
    `  intake: ${summary.accepted} accepted, ${summary.duplicate} duplicate (loaded before), ${summary.rejected} rejected`
  );
}

/** Uses the server at `url` if it answers; otherwise starts one on its (loopback) port. */
async function reachOrStart(
  name: 'nats-server' | 'redis-server',
  url: string,
  started: LocalServer[]
): Promise<string> {
  const { hostname, port } = new URL(url);
  const portNumber = Number(port || (name === 'nats-server' ? 4222 : 6379));
  if (await reachable(hostname, portNumber)) {
    say(`  ${name.padEnd(14)} using the one at ${url}`);
    return url;
  }
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) {
    throw new Error(`${name} at ${url} does not answer, and it is not on this machine to start`);
  }
  ensureBinary(name);
  const server =
    name === 'nats-server'
      ? await startNatsServer({ port: portNumber })
      : await startRedisServer({ port: portNumber, appendOnly: true });
  started.push(server);
  say(
    `  ${name.padEnd(14)} started on ${server.url} (${binaryVersion(findBinary(name, envVar(name)))}, data in ${server.dir})`
  );
  return server.url;
}

const envVar = (name: 'nats-server' | 'redis-server'): string =>
  name === 'nats-server' ? 'NATS_SERVER_BIN' : 'REDIS_SERVER_BIN';

/**
 * Installs a missing server binary where that is allowed without asking: nats-server with `go install`
 * when Go is present; otherwise from Debian packages when we are root or have password-less sudo.
 * Anything else stops with the exact commands to run.
 */
function ensureBinary(name: 'nats-server' | 'redis-server'): void {
  try {
    findBinary(name, envVar(name));
    return;
  } catch {
    // not installed: try below
  }
  const run = (command: string, args: string[]): boolean => {
    say(`  installing ${name}: ${command} ${args.join(' ')}`);
    return spawnSync(command, args, { stdio: 'inherit' }).status === 0;
  };
  if (
    name === 'nats-server' &&
    has('go') &&
    run('go', ['install', `github.com/nats-io/nats-server/v2@${NATS_SERVER_VERSION}`])
  ) {
    return;
  }
  const root = process.getuid?.() === 0;
  const sudo = !root && has('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0;
  if ((root || sudo) && has('apt-get')) {
    const prefix = sudo ? ['sudo'] : [];
    const apt = (args: string[]): boolean => run(prefix[0] ?? 'apt-get', [...(sudo ? ['apt-get'] : []), ...args]);
    if (apt(['install', '-y', '-q', name]) || (apt(['update', '-q']) && apt(['install', '-y', '-q', name]))) return;
  }
  throw new Error(
    `${name} is not installed. Install it with: ` +
      (name === 'nats-server'
        ? `go install github.com/nats-io/nats-server/v2@${NATS_SERVER_VERSION}  (or: sudo apt-get install nats-server)`
        : 'sudo apt-get install redis-server') +
      `, or point ${name === 'nats-server' ? 'NATS_URL' : 'REDIS_URL'} at a running server.`
  );
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: host.replace(/^\[|\]$/g, ''), port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function checkPortFree(port: number, name: string): Promise<void> {
  if (await reachable('127.0.0.1', port)) {
    throw new Error(`port ${port} for ${name} is taken: is another \`dmp up\` running?`);
  }
}
