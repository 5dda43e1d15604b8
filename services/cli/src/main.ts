#!/usr/bin/env node
import { parseArgs } from 'node:util';

import { isServiceError } from '@dmp/grpc';
import * as grpc from '@grpc/grpc-js';

import {
  demoLoad,
  nextContentCommand,
  parseProperty,
  recommendCommand,
  rulesCommand,
  sendEvent,
  tenantsCommand,
} from './commands/client-commands';
import {
  campaignsCommand,
  campaignStatsCommand,
  contactPolicyCommand,
  decideCommand,
  explainCommand,
} from './commands/campaigns';
import { listEventTypes, putEventType } from './commands/event-types';
import { evalReplay, printReplayReport } from './commands/eval';
import { failedEventsCommand } from './commands/failed-events';
import {
  getFeatures,
  listFeatures,
  parseSince,
  putFeatures,
  rebuildFeatures,
  type EntityArg,
} from './commands/features';
import { generateInteractions } from './commands/gen';
import { auditCommand, bootstrapKey, keysCommand } from './commands/keys';
import { modelStats, printModelStats } from './commands/model-stats';
import { changePolicy, listModels, publishModel, removeModel } from './commands/models';
import { profilesCommand } from './commands/profiles';
import { segmentsCommand } from './commands/segments';
import { buildSimilarItems, putSimilarItems } from './commands/similar';
import { printTrainReport, train } from './commands/train';
import { DEFAULT_PORT_BASE, up } from './commands/up';
import { DEFAULT_ADDRESSES } from './clients';
import { DEFAULT_ENDPOINTS, REPO_ROOT } from './endpoints';

const USAGE = `dmp: the RTK-DMP command line

  dmp up [--demo]                          run NATS, Redis and every service here (Ctrl-C stops them)
  dmp tenants list                         the tenants this deployment serves
  dmp tenants create <tenant> [--rate N] [--serve-rate R] [--ingest-rate R]
                                           register a tenant, or change it; N: events/s per intake replica;
                                           R: its calls/s across replicas (serving, ingest), else the default
  dmp keys create --tenant T --name N --scope S [--scope S]... [--expires 2027-01-01T00:00:00Z] [--rate R]
                                           a secret API key (scopes: ingest, serve, read, admin; platform
                                           with --tenant '*'), R calls/s; printed once, only its hash is stored
  dmp keys create --tenant T --name N --publishable --origin https://shop.example [--origin …] [--rate N]
                                           a browser key: ingest only, from those origins, N events/s
  dmp keys list --tenant T                 the tenant's keys (no secrets), revoked and expired included
  dmp keys revoke KEY_ID --tenant T        refuse the key from now on, on every replica
  dmp keys bootstrap [--name N] [--scope S]... [--file F]
                                           a key for every tenant (default scope: platform) written straight
                                           into NATS (NATS_URL): the first key of a deployment, delivery's;
                                           --file keeps it in F (made there the first time) and stores it again
  dmp audit --tenant T [--last 20]         who changed what, when (admin calls, by key id), from the AUDIT stream
  dmp events send --tenant T --type TYPE [--user U] [--anonymous-id A] [--device-id D] [--msisdn P] [--email E]
                  [--item I]... [--prop name=value]... [--id ID]
                                           send one event (at least one identity; values of --prop are typed:
                                           true/false, numbers, else strings; "quoted" is always a string)
  dmp event-types list --tenant T          the event types a tenant can send, with their properties
  dmp event-types put --tenant T --name N [--description D] [--schema FILE|JSON] [--requires-items]
                                           register or replace a tenant's own type (JSON Schema of properties)
  dmp failed-events --tenant T [--last 20] the tenant's last rejected events, from the FAILED_EVENTS stream
  dmp recommend --tenant T --user U [-n N] [--current-item I] [--exclude I]...
  dmp rules get --tenant T                 the tenant's recommendation rules in force
  dmp rules put --tenant T --file F|JSON   replace them (blocked categories, maxPerCategory, per-surface
                                           exclude: seen|bought|nothing); refused unless valid
  dmp campaigns list --tenant T            the tenant's campaigns: status, version, caps, budget, holdout
  dmp campaigns get ID --tenant T          one campaign's document
  dmp campaigns put --tenant T --file F|JSON [--expected-version V]
                                           create or update a campaign (validated; CEL errors name the field)
  dmp campaigns activate|pause|archive ID --tenant T
  dmp campaigns explain --tenant T --placement P [--user U] [--channel C]
                                           what Decide would answer now, campaign by campaign and why (spends nothing)
  dmp campaigns stats ID --tenant T [--from 2026-11-01] [--to 2026-11-30]
                                           decisions, impressions, clicks, conversions per creative, refusals,
                                           spend, and conversion lift over the holdout
  dmp contact-policy get|put --tenant T [--file F|JSON]
                                           offers per subscriber per channel per period, across all campaigns,
                                           e.g. {"channels": {"sms": [{"max": 2, "per": "day"}]}}
  dmp decide --tenant T --placement P [--user U] [--channel C]
                                           the offer Decide gives now (it counts against caps and budgets)
  dmp next --tenant T --user U [-n N] [--current-item I]
                                           what a viewer should watch next (series, watched next, similar)
  dmp features get --tenant T (--user U | --item I | --category C | --user-category U|C | --whole-tenant)
                   [--feature NAME]...     features of one entity (default: all of its kind)
  dmp features list --tenant T             the tenant's features: the defaults and its own
  dmp features put --tenant T --file F     store the tenant's own feature set (JSON, see the feature store README)
  dmp features rebuild --tenant T [--since 2026-11-01T00:00:00Z | 7d]
                                           recompute the tenant's features from the event stream, live
  dmp segments list --tenant T             the tenant's segments, their sizes and conditions
  dmp segments put --tenant T --file F|JSON  a segment: {"id": "roamers", "condition": "profile[…] >= 3.0"}
  dmp segments of USER --tenant T          the segments a subscriber is in
  dmp segments members ID --tenant T       a segment's members (an export: without ads-targeting consent, left out)
  dmp profiles resolve ID --tenant T       the profile an identifier (u1, anon:c1, device:d1, msisdn:<hash>) belongs to
  dmp profiles get ID --tenant T           a profile: identifiers, consent, segments, features
  dmp profiles delete ID --tenant T [--reason R]  erase a profile everywhere (prints the audit record)
  dmp similar build --tenant T [--neighbours 50] [--min-common 2]
                                           item-kNN over the tenant's interactions in the event stream, published
                                           as its similarity table (Recommend's "similar to X" candidates)
  dmp similar put --tenant T --file F.csv  publish a similarity table made elsewhere: item,neighbour,score rows
  dmp demo load --tenant T [--seed 42] [--events 20000]
  dmp gen --out FILE [--kind shop|video] [--events 100000] [--users 5000] [--items 2000] [--categories 40] [--seed 42]
                                           write a seeded synthetic shop (or streaming service: series binged
                                           in order, --items / 20 series and --items / 2 films) as
                                           user,item,timestamp,value CSV
  dmp eval replay --interactions FILE [--test FILE] [--split temporal|leave-last-out] [--test-fraction 0.2]
                  [-n 10] [--event-type view] [--max-users 2000] [--tenant T] [--similar]
                  [--threshold V] [--drop-unseen-items] [--train]
                                           replay the training part through intake, ask Recommend for every
                                           test user, report precision/recall/NDCG/HR@n and coverage beside the
                                           strongest simple baselines computed offline on the same split
                                           (popularity, item-kNN, EASE^R; see services/decisioning/README.md);
                                           --similar also builds the item-kNN table from the replayed part first;
                                           --threshold keeps rated interactions with a value of at least V;
                                           --drop-unseen-items leaves out test items the training part never saw;
                                           --train runs dmp train on the replayed part first (as champion)
  dmp train --tenant T [--promote] [--share 0.1] [--margin 0] [--holdout time|latest|random] [-n 10] [--out DIR]
                                           fit the tenant's Recommend model to its own data (services/trainer):
                                           EASE^R and item-kNN tables and a ranker, judged on what followed a cut
                                           in time against the champion and the baselines; published only if it
                                           wins by the margin: as challenger on --share of users, or champion
                                           (--promote, or when the tenant has none)
  dmp models publish FILE.onnx [--name N] [--version V] [--promote]
                                           publish a model version (its card: FILE.json beside it); refused
                                           unless it loads, matches its card and warms up
  dmp models list [--name N]               models, versions and what each serves
  dmp models promote NAME VERSION          VERSION becomes the champion (every replica swaps it in)
  dmp models rollback NAME                 back to the previous champion
  dmp models challenger NAME VERSION --share S
                                           A/B: S (0-1) of subjects get VERSION; --share 0 ends the split
  dmp models shadow NAME VERSION [--off]   score live rows with VERSION too, logged to SCORE_LOG, never served
  dmp models rm NAME VERSION               delete a version no traffic uses
  dmp models stats NAME [--tenant T]       each version online: decisions, impressions, clicks, CTR, conversions,
                                           and how often a recommended item was used within a day (A/B per arm)

API key: DMP_API_KEY, else the dev key \`dmp up\` keeps in .dmp/dev-api-key (every scope, every tenant).
Addresses: --addr host:port, or INTAKE_ADDR, FEATURE_STORE_ADDR, DECISIONING_ADDR and NATS_URL; unset, those of
the dmp up running from this checkout (.dmp/endpoints.json), else dmp up's default ports and nats://127.0.0.1:4222.
dmp up: NATS_URL, REDIS_URL (redis://127.0.0.1:6379), DMP_PORT_BASE (50050: gRPC on base+1 … base+5).
`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean', default: false },
      tenant: { type: 'string' },
      user: { type: 'string' },
      'anonymous-id': { type: 'string' },
      'device-id': { type: 'string' },
      msisdn: { type: 'string' },
      email: { type: 'string' },
      type: { type: 'string' },
      item: { type: 'string', multiple: true, default: [] },
      id: { type: 'string' },
      prop: { type: 'string', multiple: true, default: [] },
      name: { type: 'string' },
      description: { type: 'string' },
      schema: { type: 'string' },
      'requires-items': { type: 'boolean', default: false },
      last: { type: 'string', default: '20' },
      rate: { type: 'string' },
      'serve-rate': { type: 'string' },
      'ingest-rate': { type: 'string' },
      n: { type: 'string', short: 'n', default: '10' },
      'current-item': { type: 'string' },
      exclude: { type: 'string', multiple: true, default: [] },
      seed: { type: 'string', default: '42' },
      events: { type: 'string' },
      addr: { type: 'string' },
      category: { type: 'string' },
      'user-category': { type: 'string' },
      'whole-tenant': { type: 'boolean', default: false },
      feature: { type: 'string', multiple: true, default: [] },
      file: { type: 'string' },
      since: { type: 'string' },
      version: { type: 'string' },
      out: { type: 'string' },
      kind: { type: 'string', default: 'shop' },
      users: { type: 'string', default: '5000' },
      items: { type: 'string', default: '2000' },
      categories: { type: 'string', default: '40' },
      interactions: { type: 'string' },
      test: { type: 'string' },
      split: { type: 'string', default: 'temporal' },
      'test-fraction': { type: 'string', default: '0.2' },
      'event-type': { type: 'string', default: 'view' },
      'max-users': { type: 'string', default: '2000' },
      neighbours: { type: 'string', default: '50' },
      'min-common': { type: 'string', default: '2' },
      similar: { type: 'boolean', default: false },
      threshold: { type: 'string' },
      margin: { type: 'string' },
      holdout: { type: 'string', default: 'time' },
      'drop-unseen-items': { type: 'boolean', default: false },
      train: { type: 'boolean', default: false },
      placement: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      channel: { type: 'string', default: '' },
      'expected-version': { type: 'string', default: '0' },
      promote: { type: 'boolean', default: false },
      share: { type: 'string' },
      off: { type: 'boolean', default: false },
      reason: { type: 'string' },
      scope: { type: 'string', multiple: true, default: [] },
      origin: { type: 'string', multiple: true, default: [] },
      publishable: { type: 'boolean', default: false },
      expires: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const natsUrl = DEFAULT_ADDRESSES.natsUrl;
  const required = (name: 'tenant' | 'user' | 'type' | 'name' | 'file' | 'interactions' | 'placement'): string => {
    const value = values[name];
    if (!value) throw new UsageError(`--${name} is required`);
    return value;
  };
  const integer = (
    name:
      | 'n'
      | 'seed'
      | 'events'
      | 'last'
      | 'rate'
      | 'serve-rate'
      | 'ingest-rate'
      | 'users'
      | 'items'
      | 'categories'
      | 'max-users'
      | 'neighbours'
      | 'min-common'
      | 'expected-version',
    min = Number.MIN_SAFE_INTEGER
  ): number => {
    const text = values[name] ?? '';
    // Whole decimal numbers only: "-n ten" is a mistake, not 10.
    if (!/^-?\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, got "${text}"`);
    if (Number(text) < min) throw new UsageError(`--${name} must be at least ${min}, got ${text}`);
    return Number(text);
  };
  const number = (name: 'threshold' | 'margin'): number => {
    const value = Number(values[name]);
    if (values[name] === undefined || values[name] === '' || !Number.isFinite(value)) {
      throw new UsageError(`--${name} must be a number, got "${values[name] ?? ''}"`);
    }
    return value;
  };
  const [command, sub, arg] = positionals;
  if (values.help || !command) return void process.stdout.write(USAGE);

  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'up':
      // up starts the platform, so it looks at the variables only, never at a running one's endpoints.
      return up({
        repoRoot: REPO_ROOT,
        natsUrl: process.env['NATS_URL'] || DEFAULT_ENDPOINTS.natsUrl,
        redisUrl: process.env['REDIS_URL'] || 'redis://127.0.0.1:6379',
        portBase: portBase(process.env['DMP_PORT_BASE']),
        demo: values.demo,
      });
    case 'tenants list':
      return tenantsCommand({ natsUrl });
    case 'tenants create':
      if (!arg) throw new UsageError('tenants create needs a tenant id');
      return tenantsCommand({
        natsUrl,
        create: arg,
        ...(values.rate !== undefined && { eventsPerSecond: integer('rate', 1) }),
        ...((values['serve-rate'] !== undefined || values['ingest-rate'] !== undefined) && {
          requestsPerSecond: {
            ...(values['serve-rate'] !== undefined && { serve: integer('serve-rate', 1) }),
            ...(values['ingest-rate'] !== undefined && { ingest: integer('ingest-rate', 1) }),
          },
        }),
      });
    case 'events send': {
      const identities = {
        ...(values.user !== undefined && { userId: values.user }),
        ...(values['anonymous-id'] !== undefined && { anonymousId: values['anonymous-id'] }),
        ...(values['device-id'] !== undefined && { deviceId: values['device-id'] }),
        ...(values.msisdn !== undefined && { msisdn: values.msisdn }),
        ...(values.email !== undefined && { email: values.email }),
      };
      if (Object.keys(identities).length === 0) {
        throw new UsageError('events send needs an identity: --user, --anonymous-id, --device-id, --msisdn or --email');
      }
      const properties = Object.fromEntries(
        values.prop.map((text) => {
          const property = parseProperty(text);
          if (!property) throw new UsageError(`--prop needs name=value, got "${text}"`);
          return property;
        })
      );
      return sendEvent({
        address: values.addr,
        tenant: required('tenant'),
        type: required('type'),
        identities,
        items: values.item,
        properties,
        ...(values.id !== undefined && { id: values.id }),
      });
    }
    case 'event-types list':
      return listEventTypes({ address: values.addr, tenant: required('tenant') });
    case 'event-types put':
      return putEventType({
        address: values.addr,
        tenant: required('tenant'),
        name: required('name'),
        requiresItems: values['requires-items'],
        ...(values.description !== undefined && { description: values.description }),
        ...(values.schema !== undefined && { schema: values.schema }),
      });
    case 'keys create':
    case 'keys list':
    case 'keys revoke': {
      const expires = values.expires === undefined ? undefined : new Date(values.expires);
      if (expires && Number.isNaN(expires.getTime())) throw new UsageError('--expires needs a date, e.g. 2027-01-01');
      if (sub === 'revoke' && !arg) throw new UsageError('keys revoke needs the key id (see dmp keys list)');
      return keysCommand({
        action: sub as 'create' | 'list' | 'revoke',
        address: values.addr,
        tenant: required('tenant'),
        ...(values.name !== undefined && { name: values.name }),
        scopes: values.scope,
        publishable: values.publishable,
        origins: values.origin,
        ...(values.rate !== undefined && { rate: integer('rate', 1) }),
        ...(expires && { expires }),
        ...(arg && { keyId: arg }),
      });
    }
    case 'keys bootstrap':
      return bootstrapKey({
        natsUrl,
        name: values.name ?? 'bootstrap',
        scopes: values.scope,
        ...(values.file !== undefined && { file: values.file }),
      });
    case 'audit':
      return auditCommand({ natsUrl, tenant: required('tenant'), last: integer('last', 1) });
    case 'failed-events':
      return failedEventsCommand({ natsUrl, tenant: required('tenant'), last: integer('last', 1) });
    case 'recommend':
      return recommendCommand({
        address: values.addr,
        tenant: required('tenant'),
        user: required('user'),
        n: integer('n'),
        exclude: values.exclude,
        ...(values['current-item'] !== undefined && { currentItem: values['current-item'] }),
      });
    case 'next':
      return nextContentCommand({
        address: values.addr,
        tenant: required('tenant'),
        user: required('user'),
        n: integer('n'),
        ...(values['current-item'] !== undefined && { currentItem: values['current-item'] }),
      });
    case 'features':
    case 'features get': {
      const entities: EntityArg[] = [
        ...(values.user !== undefined ? [{ kind: 'ENTITY_TYPE_USER', id: values.user } as const] : []),
        ...values.item.map((id) => ({ kind: 'ENTITY_TYPE_ITEM', id }) as const),
        ...(values.category !== undefined ? [{ kind: 'ENTITY_TYPE_CATEGORY', id: values.category } as const] : []),
        ...(values['user-category'] !== undefined
          ? [{ kind: 'ENTITY_TYPE_USER_CATEGORY', id: values['user-category'] } as const]
          : []),
        ...(values['whole-tenant'] ? [{ kind: 'ENTITY_TYPE_TENANT', id: '*' } as const] : []),
      ];
      if (entities.length !== 1) {
        throw new UsageError(
          'features get needs exactly one of --user, --item, --category, --user-category or --whole-tenant'
        );
      }
      return getFeatures({
        address: values.addr,
        tenant: required('tenant'),
        entity: entities[0]!,
        features: values.feature,
      });
    }
    case 'features list':
      return listFeatures({ address: values.addr, tenant: required('tenant') });
    case 'features put':
      return putFeatures({ address: values.addr, tenant: required('tenant'), file: required('file') });
    case 'features rebuild':
      return rebuildFeatures({
        address: values.addr,
        tenant: required('tenant'),
        ...(values.since !== undefined && { sinceMs: parseSince(values.since) }),
      });
    case 'demo load':
      return demoLoad({
        address: values.addr,
        tenant: required('tenant'),
        seed: integer('seed'),
        events: values.events === undefined ? 20_000 : integer('events', 1),
      });
    case 'gen': {
      const out = values.out;
      if (!out) throw new UsageError('gen needs --out FILE');
      const kind = values.kind;
      if (kind !== 'shop' && kind !== 'video') throw new UsageError('--kind must be shop or video');
      const lines = await generateInteractions(
        out,
        {
          seed: integer('seed'),
          users: integer('users', 1),
          items: integer('items', 1),
          categories: integer('categories', 1),
          events: values.events === undefined ? 100_000 : integer('events', 1),
          endMs: Date.now(),
        },
        kind
      );
      return void process.stdout.write(`wrote ${lines} interactions to ${out}\n`);
    }
    case 'eval replay': {
      const split = values.split;
      if (split !== 'temporal' && split !== 'leave-last-out') {
        throw new UsageError('--split must be temporal or leave-last-out');
      }
      const testFraction = Number(values['test-fraction']);
      if (!(testFraction > 0 && testFraction < 1)) throw new UsageError('--test-fraction must be in (0, 1)');
      const k = integer('n', 1);
      const report = await evalReplay({
        natsUrl,
        interactionsFile: required('interactions'),
        ...(values.test !== undefined && { testFile: values.test }),
        split,
        testFraction,
        k,
        eventType: values['event-type'],
        maxUsers: integer('max-users', 0),
        similar: values.similar,
        train: values.train,
        dropUnseenItems: values['drop-unseen-items'],
        ...(values.threshold !== undefined && { threshold: number('threshold') }),
        ...(values.tenant !== undefined && { tenant: values.tenant }),
        log: (line) => void process.stderr.write(`${line}\n`),
      });
      return printReplayReport(report, k);
    }
    case 'train': {
      const holdout = values.holdout;
      if (holdout !== 'time' && holdout !== 'latest' && holdout !== 'random')
        throw new UsageError('--holdout must be time, latest or random');
      const share = values.share === undefined ? 0.1 : Number(values.share);
      if (!(share > 0 && share < 1)) throw new UsageError('--share must be a number in (0, 1)');
      const k = integer('n', 1);
      const result = await train({
        natsUrl,
        tenant: required('tenant'),
        margin: values.margin === undefined ? 0 : number('margin'),
        holdout,
        k,
        promote: values.promote,
        share,
        ...(values.out !== undefined && { dir: values.out }),
        log: (line) => void process.stderr.write(`${line}\n`),
      });
      // A refusal by the gate is an answer, not an error (the trainer chart's CronJob ends well on it).
      return printTrainReport(result, k);
    }
    case 'models publish':
      if (!arg) throw new UsageError('models publish needs an .onnx file');
      return publishModel({
        natsUrl,
        file: arg,
        promote: values.promote,
        ...(values.name !== undefined && { name: values.name }),
        ...(values.version !== undefined && { version: values.version }),
      });
    case 'campaigns':
    case 'campaigns list':
      return campaignsCommand({ address: values.addr, tenant: required('tenant'), action: 'list' });
    case 'campaigns put':
      return campaignsCommand({
        address: values.addr,
        tenant: required('tenant'),
        action: 'put',
        target: required('file'),
        expectedVersion: integer('expected-version', 0),
      });
    case 'campaigns get':
    case 'campaigns activate':
    case 'campaigns pause':
    case 'campaigns archive':
      if (!arg) throw new UsageError(`campaigns ${sub} needs a campaign id`);
      return campaignsCommand({
        address: values.addr,
        tenant: required('tenant'),
        action: sub as 'get' | 'activate' | 'pause' | 'archive',
        target: arg,
      });
    case 'campaigns explain':
      return explainCommand({
        address: values.addr,
        tenant: required('tenant'),
        user: values.user ?? '',
        placement: required('placement'),
        channel: values.channel,
      });
    case 'campaigns stats':
      if (!arg) throw new UsageError('campaigns stats needs a campaign id');
      return campaignStatsCommand({
        address: values.addr,
        tenant: required('tenant'),
        campaign: arg,
        from: values.from,
        to: values.to,
      });
    case 'contact-policy get':
      return contactPolicyCommand({ address: values.addr, tenant: required('tenant') });
    case 'contact-policy put':
      return contactPolicyCommand({ address: values.addr, tenant: required('tenant'), put: required('file') });
    case 'decide':
      return decideCommand({
        address: values.addr,
        tenant: required('tenant'),
        user: values.user ?? '',
        placement: required('placement'),
        channel: values.channel,
      });
    case 'rules get':
      return rulesCommand({ address: values.addr, tenant: required('tenant') });
    case 'rules put':
      return rulesCommand({ address: values.addr, tenant: required('tenant'), put: required('file') });
    case 'segments':
    case 'segments list':
      return segmentsCommand({ address: values.addr, tenant: required('tenant'), action: 'list' });
    case 'segments put':
      return segmentsCommand({
        address: values.addr,
        tenant: required('tenant'),
        action: 'put',
        target: required('file'),
      });
    case 'segments members':
      if (!arg) throw new UsageError('segments members needs a segment id');
      return segmentsCommand({ address: values.addr, tenant: required('tenant'), action: 'members', target: arg });
    case 'segments of':
      if (!arg) throw new UsageError('segments of needs a subscriber id');
      return segmentsCommand({ address: values.addr, tenant: required('tenant'), action: 'of', target: arg });
    case 'profiles resolve':
    case 'profiles get':
    case 'profiles delete':
      if (!arg) throw new UsageError(`profiles ${sub} needs an identifier`);
      return profilesCommand({
        address: values.addr,
        tenant: required('tenant'),
        action: sub as 'resolve' | 'get' | 'delete',
        identifier: arg,
        reason: values.reason,
      });
    case 'similar build': {
      const report = await buildSimilarItems({
        natsUrl,
        address: values.addr,
        tenant: required('tenant'),
        knn: { neighbours: integer('neighbours', 1), minCommonUsers: integer('min-common', 1) },
        log: (line) => process.stderr.write(`${line}\n`),
      });
      return void process.stdout.write(
        `published the neighbours of ${report.itemsWithNeighbours} of ${report.items} items ` +
          `(${report.events} interactions of ${report.users} users)\n`
      );
    }
    case 'similar put': {
      const items = await putSimilarItems({ address: values.addr, tenant: required('tenant'), file: required('file') });
      return void process.stdout.write(`published the neighbours of ${items} items\n`);
    }
    case 'models':
    case 'models list':
      return listModels({ natsUrl, ...(values.name !== undefined && { name: values.name }) });
    case 'models promote':
    case 'models challenger':
    case 'models shadow':
    case 'models rollback': {
      const version = positionals[3];
      if (!arg || (sub !== 'rollback' && !version)) throw new UsageError(`models ${sub} needs NAME VERSION`);
      const share = (): number => {
        const s = Number(values.share);
        if (values.share === undefined || !(s >= 0 && s < 1))
          throw new UsageError('--share must be a number in [0, 1)');
        return s;
      };
      return changePolicy({
        natsUrl,
        name: arg,
        what: sub!,
        change: (registry) =>
          sub === 'promote'
            ? registry.promote(arg, version!)
            : sub === 'challenger'
              ? registry.setChallenger(arg, version, share())
              : sub === 'shadow'
                ? registry.setShadow(arg, version!, !values.off)
                : registry.rollback(arg),
      });
    }
    case 'models stats':
      if (!arg) throw new UsageError('models stats needs NAME');
      return printModelStats(
        await modelStats({ natsUrl, name: arg, ...(values.tenant !== undefined && { tenant: values.tenant }) })
      );
    case 'models rm':
      if (!arg || !positionals[3]) throw new UsageError('models rm needs NAME VERSION');
      return removeModel({ natsUrl, name: arg, version: positionals[3] });
    default:
      throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  }
}

class UsageError extends Error {}

/** DMP_PORT_BASE: where `dmp up`'s ports start (gRPC on base+1 … base+5, the last one used is base+40). */
function portBase(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_PORT_BASE;
  const base = Number(text);
  if (!/^\d+$/.test(text) || base < 1024 || base > 65_535 - 40) {
    throw new UsageError(`DMP_PORT_BASE must be a whole number from 1024 to ${65_535 - 40}, got "${text}"`);
  }
  return base;
}

// `dmp … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`dmp: ${error.message}\n\n${USAGE}`);
  else if (isServiceError(error)) process.stderr.write(`dmp: ${grpc.status[error.code]}: ${error.details}\n`);
  else process.stderr.write(`dmp: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
