import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

import { type NatsConnection } from '@nats-io/transport-node';

import {
  binaryVersion,
  canListen,
  findBinary,
  SERVICE_NAMES,
  speaksProtocol,
  startNatsServer,
  startRedisServer,
  startServiceProcess,
  type LocalServer,
  type ServiceName,
  type ServiceProcess,
} from '@dmp/local-servers';
import {
  DEFAULT_DEMO,
  DEFAULT_VIDEO_DEMO,
  demoCampaigns,
  demoEvents,
  ingestEvents,
  videoCatalog,
  videoEvents,
} from '@dmp/demo-data';
import {
  callUnary,
  type CampaignServiceClient,
  type IntakeServiceClient,
  type PutCampaignResponse__Output,
  type UpsertItemsResponse__Output,
} from '@dmp/grpc';
import { ALL_TENANTS, apiKeyRecordFor, mintApiKey, SCOPES, storeApiKey } from '@dmp/access';
import { createTenant } from '@dmp/messaging';

import { campaignsClient, intakeClient } from '../clients';
import { devApiKey, devHmacKeys } from '../dev-keys';
import { removeEndpoints, runningUp, writeEndpoints } from '../endpoints';
import { featuresCaughtUp } from '../features-caught-up';
import { publishRepoModels } from './models';
import { connectNats } from '../nats';

/** nats-server version `dmp up` installs with `go install` when none is found. */
export const NATS_SERVER_VERSION = 'v2.12.15';
/** The README's first command: what a user who has to move the platform runs again. */
const START_COMMAND = 'npx --yes pnpm@10.28.1 start';
/** Where `dmp up`'s ports start unless DMP_PORT_BASE says otherwise: intake on 50051 … */
export const DEFAULT_PORT_BASE = 50050;

/**
 * Every port `dmp up` opens, from one base, so that a busy machine (or a second platform) moves them all
 * with one setting: gRPC on base+1 … base+5, metrics on base+11 … base+15, intake's HTTP door on base+30 and
 * the fake gateway on base+40.
 */
export function upPorts(base: number): {
  services: Record<ServiceName, { grpc: number; metrics: number; http?: number }>;
  gateway: number;
} {
  return {
    services: {
      'event-intake': { grpc: base + 1, metrics: base + 11, http: base + 30 },
      'feature-store': { grpc: base + 2, metrics: base + 12 },
      scoring: { grpc: base + 3, metrics: base + 13 },
      decisioning: { grpc: base + 4, metrics: base + 14 },
      delivery: { grpc: base + 5, metrics: base + 15 },
    },
    gateway: base + 40,
  };
}

export interface UpOptions {
  repoRoot: string;
  natsUrl: string;
  redisUrl: string;
  portBase: number;
  demo: boolean;
}

const say = (line: string): void => void process.stdout.write(line + '\n');

/**
 * Runs the whole platform on this machine: NATS and Redis (started here unless already reachable at
 * their URLs), the services, a fake delivery gateway, and with --demo a demo shop and streaming service.
 * Ctrl-C stops everything it started, in order (services first, so they drain while NATS and Redis are
 * still there), and nothing else.
 */
export async function up(options: UpOptions): Promise<void> {
  const ports = upPorts(options.portBase);
  const started: { servers: LocalServer[]; services: ServiceProcess[]; gateway?: ChildProcess } = {
    servers: [],
    services: [],
  };
  let stopping: Promise<void> | undefined;
  // Once: a second signal (pnpm sends SIGTERM after the terminal's SIGINT) waits for the same stop.
  const stopAll = (failed: boolean): Promise<void> => (stopping ??= stopInOrder(failed));
  const stopInOrder = async (failed: boolean): Promise<void> => {
    if (started.servers.length === 0 && started.services.length === 0 && !started.gateway) return;
    say('\nstopping …');
    await Promise.all(started.services.map((s) => s.stop('SIGTERM')));
    await stopChild(started.gateway);
    await Promise.all(started.servers.map((s) => s.stop('SIGTERM')));
    removeEndpoints(options.repoRoot);
    // The servers' folders hold only this run's data; kept after a failure for their logs.
    if (failed) for (const s of started.servers) say(`  ${s.name} log: ${s.logFile}`);
    else for (const s of started.servers) rmSync(s.dir, { recursive: true, force: true });
    say('stopped.');
  };
  const stopOn = (signal: NodeJS.Signals): void =>
    void process.on(signal, () => void stopAll(false).then(() => process.exit(0)));
  stopOn('SIGINT');
  stopOn('SIGTERM');

  try {
    // Every port is checked before anything starts, so a busy machine is told all it needs at once.
    await checkPortsFree(options, ports);
    const nats = await reachOrStart('nats-server', options.natsUrl, started.servers);
    const redis = await reachOrStart('redis-server', options.redisUrl, started.servers);

    const logDir = join(options.repoRoot, '.dmp', 'logs');
    mkdirSync(logDir, { recursive: true });
    // One development key with every scope for every tenant: the CLI's, curl's and delivery's (see the banner).
    const apiKey = await storeDevApiKey(nats, options.repoRoot);
    say(`  ${'api key'.padEnd(14)} ${apiKey.created ? 'made a new dev key in' : 'dev key from'} ${apiKey.file}`);
    const env = {
      NATS_URL: nats,
      REDIS_URL: redis,
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
      DMP_API_KEY: apiKey.key,
    };
    // Scoring and decisioning serve models from the registry: the repo's are there before they start.
    const models = await publishRepoModels(nats, join(options.repoRoot, 'services', 'trainer', 'models'));
    say(`  ${'models'.padEnd(14)} ${models.join(', ')}`);
    // The same dev key every run, so hashes of phone numbers and emails stay stable across restarts.
    const hmac = devHmacKeys(options.repoRoot);
    say(`  ${'hmac keys'.padEnd(14)} ${hmac.created ? 'made a new dev key in' : 'dev key from'} ${hmac.file}`);
    // Triggered offers go to a fake gateway, signed with a key made for this run.
    const webhookSecret = randomBytes(24).toString('base64url');
    const gatewayUrl = `http://127.0.0.1:${ports.gateway}/deliver`;
    started.gateway = spawn(
      process.execPath,
      [join(options.repoRoot, 'services', 'delivery', 'dist', 'fake-gateway-main.js')],
      {
        env: { ...process.env, PORT: String(ports.gateway), WEBHOOK_SECRET: webhookSecret },
        // A descriptor, not a stream: spawn needs one that is open now.
        stdio: ['ignore', openSync(join(logDir, 'fake-gateway.log'), 'a'), 'inherit'],
        // Its own process group, like the services (ownProcessGroup): only we stop it.
        detached: true,
      }
    );
    const gateway = started.gateway;
    process.once('exit', () => gateway.kill('SIGKILL'));
    say(`  ${'fake gateway'.padEnd(14)} ${gatewayUrl}  (GET it for what it received)`);
    const intakeAddress = `127.0.0.1:${ports.services['event-intake'].grpc}`;
    const serviceEnv: Partial<Record<ServiceName, Record<string, string>>> = {
      'event-intake': { IDENTITY_HMAC_KEYS: hmac.keys, HTTP_PORT: String(ports.services['event-intake'].http) },
      delivery: { WEBHOOK_URLS: gatewayUrl, WEBHOOK_SECRET: webhookSecret, INTAKE_ADDR: intakeAddress },
    };
    // Intake first: it creates the EVENTS stream that the feature store consumes.
    for (const name of SERVICE_NAMES) {
      const { grpc, metrics, http } = ports.services[name];
      const service = await startServiceProcess({
        name,
        repoRoot: options.repoRoot,
        env: { ...env, ...serviceEnv[name] },
        grpcPort: grpc,
        metricsPort: metrics,
        logFile: join(logDir, `${name}.log`),
        ownProcessGroup: true,
      });
      started.services.push(service);
      say(
        `  ${name.padEnd(14)} serving on ${service.address}  (metrics :${metrics}/metrics` +
          `${http !== undefined ? `, HTTP :${http}` : ''})`
      );
      void service.exited.then((code) => {
        if (stopping === undefined) {
          say(`${name} exited with ${code}; see ${join(logDir, `${name}.log`)}`);
          void stopAll(true).then(() => process.exit(1));
        }
      });
    }
    const decisioningAddress = `127.0.0.1:${ports.services.decisioning.grpc}`;
    // Commands typed in another terminal find this platform through this file (see endpoints.ts).
    writeEndpoints(options.repoRoot, {
      intake: intakeAddress,
      featureStore: `127.0.0.1:${ports.services['feature-store'].grpc}`,
      decisioning: decisioningAddress,
      natsUrl: nats,
    });

    if (options.demo) await loadDemo(nats, intakeAddress, decisioningAddress);
    say(banner({ ports, repoRoot: options.repoRoot, logDir, nats, redis, gatewayUrl, demo: options.demo }));
  } catch (error) {
    await stopAll(true);
    throw error;
  }
  await new Promise<never>(() => undefined);
}

/** What `dmp up` prints once everything serves: where each part is, and calls to try that work as typed. */
function banner(args: {
  ports: ReturnType<typeof upPorts>;
  repoRoot: string;
  logDir: string;
  nats: string;
  redis: string;
  gatewayUrl: string;
  demo: boolean;
}): string {
  const { services } = args.ports;
  const intakeHttp = `http://127.0.0.1:${services['event-intake'].http}`;
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
  const endpoints = `
RTK-DMP is running. Logs: ${args.logDir}
  intake        127.0.0.1:${services['event-intake'].grpc}   dmp.intake.v1.IntakeService
  intake HTTP   ${intakeHttp}   POST /v1/events, GET /readyz
  feature-store 127.0.0.1:${services['feature-store'].grpc}   dmp.features.v1.FeatureStoreService, ProfileService, dmp.access.v1.AccessService
  scoring       127.0.0.1:${services.scoring.grpc}   dmp.scoring.v1.ScoringService
  decisioning   127.0.0.1:${services.decisioning.grpc}   dmp.decisioning.v1.DecisioningService, CampaignService
  delivery      127.0.0.1:${services.delivery.grpc}   (health only: sends triggered offers to the fake gateway)
  NATS ${args.nats}   Redis ${args.redis}
  API key       .dmp/dev-api-key (every scope, every tenant): ./dmp sends it; DMP_API_KEY overrides it
`;
  // `./dmp` is the repository's launcher: it works in a terminal without pnpm on PATH, as after the README's
  // `npx --yes pnpm@… start`. It finds this platform through .dmp/endpoints.json, whatever its ports.
  const tryIt = args.demo
    ? `
Try it (in another terminal, in ${args.repoRoot}):
  ./dmp recommend --tenant demo --user u-0001 -n 5
  ./dmp next --tenant demo-tv --user v-0001 -n 5
  ./dmp decide --tenant demo --placement home-banner --user u-0001
  ./dmp events send --tenant demo --user u-0001 --type view --item sku-0042 --prop price=9.5
  ./dmp events send --tenant demo --msisdn '+7 912 345-67-89' --type balance_low --prop balance=12
  curl -s ${args.gatewayUrl}
  ./dmp event-types list --tenant demo
  ./dmp failed-events --tenant demo
  ./dmp features --tenant demo --user u-0001
  ./dmp campaigns list --tenant demo
  ./dmp models list
  curl -s ${intakeHttp}/v1/events -H "authorization: Bearer $(cat .dmp/dev-api-key)" -H 'content-type: application/json' -d '${curlBody}'
  grpcurl -plaintext -H "authorization: Bearer $(cat .dmp/dev-api-key)" -d '{"tenant_id":"demo","user_id":"u-0001","n":5}' 127.0.0.1:${services.decisioning.grpc} dmp.decisioning.v1.DecisioningService/Recommend
  ./dmp keys list --tenant demo
  ./dmp audit --tenant demo
`
    : `
No tenant yet: ./dmp tenants create shop, then ./dmp demo load --tenant shop (or restart with --demo).
`;
  return `${endpoints}${tryIt}
Ctrl-C stops everything started here.`;
}

/** The checkout's dev key (made on first use), stored in NATS again: this run's NATS may be a new one. */
async function storeDevApiKey(natsUrl: string, repoRoot: string): Promise<ReturnType<typeof devApiKey>> {
  const fields = { tenantId: ALL_TENANTS, scopes: [...SCOPES], name: 'dmp up dev key', createdBy: 'dmp up' };
  const key = devApiKey(repoRoot, () => mintApiKey({ kind: 'secret', ...fields }).token);
  const nc = await connectNats(natsUrl);
  try {
    await storeApiKey(nc, apiKeyRecordFor(key.key, fields));
  } finally {
    await nc.close();
  }
  return key;
}

async function loadDemo(natsUrl: string, intakeAddress: string, decisioningAddress: string): Promise<void> {
  const nc = await connectNats(natsUrl);
  const intake = intakeClient(intakeAddress);
  const campaigns = campaignsClient(decisioningAddress);
  try {
    await createTenant(nc, 'demo', { displayName: 'Demo shop' });
    say(
      `loading the demo shop: ${DEFAULT_DEMO.events} events of ${DEFAULT_DEMO.users} users over ${DEFAULT_DEMO.items} items …`
    );
    const summary = await ingestEvents(intake, 'demo', demoEvents({ ...DEFAULT_DEMO, endMs: Date.now() }));
    say(
      `  intake: ${summary.accepted} accepted, ${summary.duplicate} duplicate (loaded before), ${summary.rejected} rejected`
    );
    await putDemoCampaigns(campaigns);
    await loadStreamingDemo(nc, intake);
    await featuresCaughtUp(nc);
    say('  features: up to date');
  } finally {
    intake.close();
    campaigns.close();
    await nc.close();
  }
}

async function putDemoCampaigns(client: CampaignServiceClient): Promise<void> {
  const ids: string[] = [];
  for (const campaign of demoCampaigns(Date.now())) {
    await callUnary<PutCampaignResponse__Output>((done) =>
      client.PutCampaign({ tenantId: 'demo', campaignJson: JSON.stringify(campaign), expectedVersion: 0 }, done)
    );
    ids.push(String(campaign['id']));
  }
  say(`  campaigns: ${ids.join(', ')}`);
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

/**
 * Fails, before anything starts, if a port `dmp up` would open is taken, or if NATS_URL / REDIS_URL lead to
 * something that is not NATS / Redis: naming each port, what holds it if it is our own `dmp up`, and what to do.
 */
async function checkPortsFree(options: UpOptions, ports: ReturnType<typeof upPorts>): Promise<void> {
  const wanted = [
    ...SERVICE_NAMES.flatMap((name) => {
      const { grpc, metrics, http } = ports.services[name];
      return [
        { port: grpc, use: `${name} gRPC` },
        { port: metrics, use: `${name} metrics` },
        ...(http === undefined ? [] : [{ port: http, use: `${name} HTTP` }]),
      ];
    }),
    { port: ports.gateway, use: 'fake gateway' },
  ];
  const taken = (await Promise.all(wanted.map(async (w) => ((await canListen(w.port)) ? [] : [w])))).flat();
  const problems = taken.map((t) => `port ${t.port} (${t.use}) is taken by another process`);
  for (const [name, url, variable] of [
    ['nats-server', options.natsUrl, 'NATS_URL'],
    ['redis-server', options.redisUrl, 'REDIS_URL'],
  ] as const) {
    const { hostname, port } = serverAddress(name, url);
    if ((await listening(hostname, port)) && !(await speaksProtocol(name, hostname, port))) {
      const protocol = name === 'nats-server' ? 'NATS' : 'Redis';
      problems.push(
        `${variable} ${url}: port ${port} answers, but not as ${protocol}; point ${variable} at a ${protocol} ` +
          `server, or at a free port for dmp up to start one on (e.g. ${variable}=${url.replace(`:${port}`, `:${port + 10000}`)})`
      );
    }
  }
  if (problems.length === 0) return;
  const other = runningUp(options.repoRoot);
  const busy = taken.length > 0;
  throw new Error(
    [
      `cannot start:\n  ${problems.join('\n  ')}`,
      ...(busy && other ? [`another dmp up of this checkout is running (pid ${other.pid}): stop it with Ctrl-C`] : []),
      ...(busy
        ? [
            `see what holds a port with: ss -ltnp 'sport = :${taken[0]!.port}'; stop it, or move every port of ` +
              `dmp up with DMP_PORT_BASE (now ${options.portBase}; gRPC on base+1 … base+5), e.g.: ` +
              `DMP_PORT_BASE=${options.portBase + 1000} ${START_COMMAND}`,
          ]
        : []),
    ].join('\n')
  );
}

/** Uses the server at `url` if it answers; otherwise starts one on its (loopback) port. */
async function reachOrStart(
  name: 'nats-server' | 'redis-server',
  url: string,
  started: LocalServer[]
): Promise<string> {
  const { hostname, port } = serverAddress(name, url);
  if (await speaksProtocol(name, hostname, port)) {
    say(`  ${name.padEnd(14)} using the one at ${url}`);
    return url;
  }
  if (!['127.0.0.1', 'localhost', '::1'].includes(hostname)) {
    throw new Error(`${name} at ${url} does not answer, and it is not on this machine to start`);
  }
  ensureBinary(name);
  const server =
    name === 'nats-server'
      ? await startNatsServer({ port, ownProcessGroup: true })
      : await startRedisServer({ port, appendOnly: true, ownProcessGroup: true });
  started.push(server);
  say(
    `  ${name.padEnd(14)} started on ${server.url} (${binaryVersion(findBinary(name, envVar(name)))}, data in ${server.dir})`
  );
  return server.url;
}

function serverAddress(name: 'nats-server' | 'redis-server', url: string): { hostname: string; port: number } {
  const { hostname, port } = new URL(url);
  return {
    hostname: hostname.replace(/^\[|\]$/g, ''),
    port: Number(port || (name === 'nats-server' ? 4222 : 6379)),
  };
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

/** Whether something accepts TCP connections at host:port. */
function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Sends SIGTERM and waits for the exit (nothing to wait for if it never started or already ended). */
function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
