#!/usr/bin/env node
// The capacity model: from the production target (target.json, from docs/design.md), the per-core figures `pnpm bench`
// measured (measured.json) and the headroom policy and assumptions (model.json), it sizes every service
// (pods, CPU, memory), the NATS cluster and the two Redis clusters, and writes
//   charts/<service>/values-production.yaml   (helm -f on top of the chart's defaults)
//   docs/capacity.md, between its "capacity.mjs" markers (the tables)
// and prints the tables. Plain Node 20, no dependencies.
//
//   node charts/capacity/capacity.mjs           write the files, print the tables
//   node charts/capacity/capacity.mjs --check   write nothing; exit 1 with a diff if a file differs from what
//                                               the inputs give (CI runs this from charts/test/check.sh)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const check = process.argv.includes('--check');
const unknown = process.argv.slice(2).filter((a) => a !== '--check');
if (unknown.length > 0) {
  process.stderr.write(`capacity.mjs: unknown argument ${unknown[0]} (usage: capacity.mjs [--check])\n`);
  process.exit(2);
}

const readJson = (name) => JSON.parse(readFileSync(join(here, name), 'utf8'));
const target = readJson('target.json');
const measured = readJson('measured.json');
const model = readJson('model.json');

/** A measured figure's value; every figure read is listed in the inputs table. */
const used = new Map();
function m(id) {
  const figure = measured.figures[id];
  if (!figure || typeof figure.value !== 'number') throw new Error(`measured.json has no figure ${id}`);
  used.set(id, { kind: 'measured', value: figure.value, unit: figure.unit, source: figure.run });
  return figure.value;
}
function a(id) {
  const entry = model.entries[id];
  if (!entry) throw new Error(`model.json has no entry ${id}`);
  if (typeof entry.value === 'number') used.set(id, { kind: entry.kind, value: entry.value, unit: '', source: '' });
  return entry.value;
}

// ---------------------------------------------------------------------------------------------------------------
// Load at peak

const DAY = 86_400;
const MiB = 2 ** 20;
const GiB = 2 ** 30;
const R = target.streamReplicas;
const zones = a('policy.zones');
const util = a('policy.cpuTargetUtilization');
const podCpu = a('policy.podCpuRequest');
const meanToPeak = a('assumption.meanToPeak');

const events = target.eventsPerSecond;
const triggers = target.triggeredDecisionsPerSecond;
const recommends = target.recommendPerSecond;
const decides = target.decidePerSecond;
const profiles = target.profiles;
// Every offer sent comes back through intake as a delivery_status event: the stream carries those too.
const applied = events + triggers * m('delivery.statusEventsPerOffer');
const refreshedPerSecond = profiles / a('fact.segmentRefreshSeconds');

/** One line of a service's CPU: rate x CPU-ms per unit. */
const term = (rate, unit, figureId, value = m(figureId)) => ({
  rate,
  unit,
  msPer: value,
  figureId,
  cores: (rate * value) / 1000,
});

/** Pods for a CPU load: at most `util` of each pod's request at peak, at least one per zone, a multiple of zones. */
function podsFor(cores) {
  const needed = Math.max(a('policy.minReplicas'), Math.ceil(cores / (util * podCpu) - 1e-9));
  return Math.ceil(needed / zones) * zones;
}

/** Rounds MiB up to a multiple of 256 MiB. */
const roundMiB = (mib) => Math.ceil(mib / 256 - 1e-9) * 256;
const quantity = (mib) => (mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`);

/** The chart's own memory limit (values.yaml resources.limits.memory), in MiB. */
function chartMemoryLimitMiB(chart) {
  const lines = readFileSync(join(root, 'charts', chart, 'values.yaml'), 'utf8').split('\n');
  let inResources = false;
  let inLimits = false;
  for (const line of lines) {
    if (/^\s*#/.test(line) || line.trim() === '') continue;
    if (/^\S/.test(line)) {
      inResources = line.startsWith('resources:');
      inLimits = false;
      continue;
    }
    if (!inResources) continue;
    if (/^ {2}\S/.test(line)) inLimits = line.trim() === 'limits:';
    const memory = inLimits && /^ {4}memory:\s*'?(\d+)(Mi|Gi)'?\s*$/.exec(line);
    if (memory) return Number(memory[1]) * (memory[2] === 'Gi' ? 1024 : 1);
  }
  throw new Error(`charts/${chart}/values.yaml: no resources.limits.memory in Mi or Gi`);
}

// ---------------------------------------------------------------------------------------------------------------
// Services

const servicesSpec = [
  {
    chart: 'event-intake',
    load: [term(events, 'events/s', 'intake.cpuMsPerEvent'), term(triggers, 'triggers/s', 'intake.cpuMsPerTrigger')],
    rssMiB: m('intake.peakRssMiB'),
    env: { AUDIT_STREAM_REPLICAS: R, EVENTS_STREAM_REPLICAS: R },
  },
  {
    chart: 'feature-store',
    load: [
      term(applied, 'events/s', 'featureStore.cpuMsPerEvent'),
      term(refreshedPerSecond, 'profiles/s refreshed', 'featureStore.cpuMsPerRefreshedProfile'),
    ],
    rssMiB: m('featureStore.peakRssMiB'),
    // A backfill or refresh remembers every subject it evaluated (as much as a V8 Set can hold): only the replica
    // running one needs it, so it is in the limit and not in the request.
    burstMiB:
      (Math.min(a('assumption.profilesInLargestTenant'), m('featureStore.maxRememberedSubjects')) *
        m('featureStore.heapBytesPerRememberedSubject')) /
      MiB,
    env: { AUDIT_STREAM_REPLICAS: R, SEGMENT_CHANGES_STREAM_REPLICAS: R },
  },
  {
    // Decisioning scores in process: no target traffic reaches the Score RPC; one pod per zone.
    chart: 'scoring',
    load: [],
    rssMiB: 0,
    env: { AUDIT_STREAM_REPLICAS: R, SCORE_LOG_STREAM_REPLICAS: R, ORT_INTRA_OP_THREADS: podCpu },
  },
  {
    chart: 'decisioning',
    load: [
      term(recommends, 'Recommend/s', 'decisioning.cpuMsPerRecommend'),
      term(decides, 'Decide/s', 'decisioning.cpuMsPerDecide'),
      term(triggers, 'triggers/s', 'decisioning.cpuMsPerTrigger'),
      term(
        applied - triggers,
        'other events/s',
        'assumption.decisioningCpuMsPerOtherEvent',
        a('assumption.decisioningCpuMsPerOtherEvent')
      ),
    ],
    // Every replica holds every trained tenant's tables (candidate models: champion and challenger).
    rssMiB: m('decisioning.peakRssMiB') + a('assumption.trainedTenants') * a('assumption.tableMiBPerTrainedTenant'),
    env: { AUDIT_STREAM_REPLICAS: R, FEATURE_LOG_STREAM_REPLICAS: R, ORT_INTRA_OP_THREADS: podCpu },
  },
  {
    chart: 'delivery',
    load: [term(triggers, 'offers/s', 'delivery.cpuMsPerTrigger')],
    rssMiB: m('delivery.peakRssMiB'),
    env: { AUDIT_STREAM_REPLICAS: R, DELIVERY_STREAM_REPLICAS: R },
  },
];

const headroom = a('policy.memoryHeadroom');
const services = servicesSpec.map((spec) => {
  const cores = spec.load.reduce((sum, t) => sum + t.cores, 0);
  const pods = podsFor(cores);
  const maxPods = Math.ceil((pods * a('policy.hpaMaxFactor')) / zones - 1e-9) * zones;
  const chartMiB = chartMemoryLimitMiB(spec.chart);
  const requestMiB = Math.max(chartMiB, roundMiB(spec.rssMiB / headroom));
  const limitMiB = Math.max(requestMiB, roundMiB((spec.rssMiB + (spec.burstMiB ?? 0)) / headroom));
  return { ...spec, cores, pods, maxPods, chartMiB, requestMiB, limitMiB, env: { ...spec.env } };
});
const service = (chart) => services.find((s) => s.chart === chart);

// Offers in hand per delivery pod = its rate x the gateway's latency (Little's law), with a zone down.
{
  const delivery = service('delivery');
  const survivors = (delivery.pods * (zones - 1)) / zones;
  const inHand = (triggers / survivors) * a('assumption.gatewayLatencySeconds');
  const concurrency = Math.max(64, Math.ceil(inHand / 64 - 1e-9) * 64);
  if (concurrency * delivery.maxPods > a('fact.deliveryConsumerMaxAckPending')) {
    throw new Error('DELIVERY_CONCURRENCY x maxReplicas exceeds the delivery consumer max_ack_pending');
  }
  delivery.env.DELIVERY_CONCURRENCY = concurrency;
}

// EVENTS partitions: a feature-store pod consumes whole partitions, one event at a time each, so there must be more
// partitions than the most pods the HPA may run: two per pod at least, so that a pod waiting on Redis for one
// partition works on another; a power of two. Fixed when the stream is created (event-intake creates it).
const eventPartitions =
  2 ** Math.ceil(Math.log2(a('policy.partitionsPerConsumerPod') * service('feature-store').maxPods));
service('event-intake').env.EVENTS_PARTITIONS = eventPartitions;
// KEDA, if turned on, watches one consumer per partition.
service('feature-store').values = { keda: { partitions: eventPartitions } };
service('decisioning').values = { keda: { partitions: eventPartitions } };

// ---------------------------------------------------------------------------------------------------------------
// NATS: 3 nodes, every stream R3, so each node holds one copy of every stream.

const streamFacts = a('fact.streams');
const streams = [
  {
    // Stored S2-compressed (streams.ts): JetStream's stored bytes over the factor its sealed blocks shrink by.
    name: 'EVENTS',
    peak: applied,
    bytes: Math.round(m('nats.storedBytesPerEvent') / m('nats.eventsCompression')),
    per: 'event and status event',
  },
  {
    name: 'FAILED_EVENTS',
    peak: events * a('assumption.failedEventShare'),
    bytes: a('assumption.failedEventBytes'),
    per: 'rejected event',
  },
  { name: 'FEATURE_LOG', peak: recommends, bytes: m('nats.storedBytesPerFeatureLog'), per: 'Recommend' },
  {
    name: 'DECISION_LOG',
    peak: decides + triggers,
    bytes: m('nats.storedBytesPerDecisionLog'),
    per: 'Decide and trigger',
  },
  { name: 'DELIVERIES', peak: triggers, bytes: m('nats.storedBytesPerDelivery'), per: 'offer' },
  {
    name: 'DEAD_DELIVERIES',
    peak: triggers * a('assumption.deadOfferShare'),
    bytes: a('assumption.deadOfferBytes'),
    per: 'dead offer',
  },
  {
    // Only segments with publishChanges (an export, an activation partner) publish their joins and leaves.
    name: 'SEGMENT_CHANGES',
    peak: applied * m('segments.changesPerEvent') * a('assumption.exportedSegmentShare'),
    bytes: a('assumption.segmentChangeBytes'),
    per: 'change of an exported segment',
  },
].map((s) => {
  const { retentionDays, duplicateWindowSeconds } = streamFacts[s.name];
  return {
    ...s,
    retentionDays,
    storedBytes: s.peak * meanToPeak * retentionDays * DAY * s.bytes,
    windowMessages: s.peak * duplicateWindowSeconds,
  };
});
const natsStorageBytes = streams.reduce((sum, s) => sum + s.storedBytes, 0) + a('assumption.otherStreamsGiB') * GiB;
const natsPvcTiB = Math.ceil(natsStorageBytes / a('policy.nats.diskFill') / 2 ** 40 - 1e-9);
const natsLoad = [
  term(applied, 'events/s', 'nats.cpuMsPerEvent'),
  term(applied, 'events/s compressed as their blocks seal', 'nats.cpuMsPerEventCompression'),
  term(applied, 'events/s to the trigger consumer', 'nats.cpuMsPerConsumerDelivery'),
  term(triggers, 'triggers/s', 'nats.cpuMsPerTrigger'),
  term(recommends + decides, 'FEATURE_LOG and DECISION_LOG publishes/s', 'nats.cpuMsPerPublish'),
];
const natsR1Cores = natsLoad.reduce((sum, t) => sum + t.cores, 0);
const natsCores = natsR1Cores * a('assumption.natsR3Factor');
const natsCpuRequest = Math.ceil(natsCores / util - 1e-9);
const natsWindowMessages = streams.reduce((sum, s) => sum + s.windowMessages, 0);
const natsWorkingBytes = natsWindowMessages * m('nats.rssBytesPerWindowedMessage');
const natsMemoryGiB = Math.ceil(natsWorkingBytes / a('policy.nats.memoryWorkingSet') / GiB - 1e-9);
const nats = {
  nodes: target.natsNodes,
  storageBytes: natsStorageBytes,
  pvcTiB: natsPvcTiB,
  maxFileStoreTiB: Math.floor(natsPvcTiB * 0.95),
  r1Cores: natsR1Cores,
  cores: natsCores,
  cpuRequest: natsCpuRequest,
  windowMessages: natsWindowMessages,
  workingBytes: natsWorkingBytes,
  memoryGiB: natsMemoryGiB,
  gomemlimitGiB: Math.floor(natsMemoryGiB * 0.8),
};

// ---------------------------------------------------------------------------------------------------------------
// Redis: features (evicting would silently reset features, so sized not to evict) and the non-evicting one for
// caps, budgets, campaign reports and the delivery ledger.

const keyOverhead = m('redis.keyOverheadBytes');
// libs/features/src/keys.ts: ENTITY_GROUPS, and as many co-occurrence groups, and AGGREGATE_SHARDS.
const entityGroups = 16_384;
const keyGroups = 2 * entityGroups + 32;
const featureParts = [
  { what: 'user profiles', count: profiles, bytes: m('redis.features.bytesPerProfile') },
  { what: 'segment memberships and identity links', count: profiles, bytes: a('assumption.segmentBytesPerProfile') },
  { what: 'items', count: a('assumption.itemsTotal'), bytes: m('redis.features.bytesPerItem') },
  {
    // Exactly once by watermark: nothing per event (until issue 20, a 167-byte mark per event for 24 h: 685 GiB).
    // One per key group (16,384 entity groups, as many co-occurrence groups, 32 aggregate shards: keys.ts) and
    // partition, in each of 2 builds while one is rebuilt.
    what: `exactly-once watermarks (${keyGroups.toLocaleString('en-US')} key groups x ${eventPartitions} partitions x 2 builds)`,
    count: keyGroups * eventPartitions * 2,
    bytes: a('assumption.watermarkBytesPerPartition'),
  },
  {
    // The co-occurrence pairs of each partition's last event in each profile's group, kept for a redelivery of an
    // event whose pairs were not all counted yet (writer.ts).
    what: `pending co-occurrence pairs (${entityGroups.toLocaleString('en-US')} groups x ${eventPartitions} partitions x 2 builds)`,
    count: entityGroups * eventPartitions * 2,
    bytes: a('assumption.pendingPairsBytes'),
  },
];
const capsParts = [
  {
    // Fields of a hash per campaign and hour: no key overhead each.
    what: "decisions' outcomes (2 hours of decisions)",
    count: (decides + triggers) * meanToPeak * a('fact.decidedMarkTtlSeconds'),
    bytes: m('redis.caps.decidedMarkBytes'),
  },
  {
    // Caps and contact-policy counters, exposures and the subscriber's side of its decisions, in one hash per
    // subscriber (until issue 20, a key per cap and period: 94 GiB, and an exposure hash per subscriber: 7.8 GiB).
    what: 'subscriber hashes (caps, exposures; one per subscriber)',
    count: profiles,
    bytes: m('redis.caps.subscriberHashBytes') + keyOverhead,
  },
  {
    // Reports count each impression, click and conversion once by a watermark per campaign and partition of
    // EVENTS (until issue 20, a 167-byte mark per event for 7 days: 235 GiB).
    what: `report watermarks (${a('assumption.reportedCampaigns')} campaigns x ${eventPartitions} partitions)`,
    count: a('assumption.reportedCampaigns') * eventPartitions,
    bytes: a('assumption.watermarkBytesPerPartition'),
  },
  {
    what: `delivery ledger (${a('fact.ledgerTtlSeconds') / DAY} days of offers)`,
    count: triggers * meanToPeak * a('fact.ledgerTtlSeconds') * m('redis.caps.ledgerKeysPerOffer'),
    bytes: m('redis.caps.ledgerKeyBytes') + keyOverhead,
  },
];
const featureRedisLoad = [
  term(applied, 'events/s', 'redis.features.cpuMsPerEvent'),
  term(recommends, 'Recommend/s', 'redis.features.cpuMsPerRecommend'),
  term(refreshedPerSecond, 'profiles/s refreshed', 'redis.features.cpuMsPerRefreshedProfile'),
];
const capsRedisLoad = [
  term(decides, 'Decide/s', 'redis.caps.cpuMsPerDecide'),
  term(triggers, 'triggers/s', 'redis.caps.cpuMsPerTrigger'),
];

function redisCluster(name, parts, load, eviction) {
  const maxmemoryGiB = a('policy.redis.maxmemoryPerShardGiB');
  const dataBytes = parts.reduce((sum, p) => sum + p.count * p.bytes, 0);
  const cores = load.reduce((sum, t) => sum + t.cores, 0);
  const byMemory = Math.ceil(dataBytes / (maxmemoryGiB * GiB * a('policy.redis.datasetFill')) - 1e-9);
  // A shard's commands run on one thread: it may be busy `util` of the time at peak.
  const byCpu = Math.ceil(cores / util - 1e-9);
  const shards = Math.max(3, byMemory, byCpu);
  const replicas = a('policy.redis.replicasPerShard');
  return {
    name,
    parts,
    load,
    eviction,
    dataBytes,
    cores,
    byMemory,
    byCpu,
    shards,
    pods: shards * (1 + replicas),
    maxmemoryGiB,
    podMemoryGiB: Math.ceil(maxmemoryGiB / a('policy.redis.maxmemoryOfPod') - 1e-9),
  };
}
const redis = [
  redisCluster(
    'features (REDIS_URL)',
    featureParts,
    featureRedisLoad,
    'noeviction (an evicted profile is a silently reset feature)'
  ),
  redisCluster(
    'caps (CAPS_REDIS_URL, delivery REDIS_URL)',
    capsParts,
    capsRedisLoad,
    'noeviction (an evicted counter is a reset cap)'
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// values-production.yaml

function spreadConstraints(chart) {
  const spread = (topologyKey, whenUnsatisfiable) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
    labelSelector: { matchLabels: { 'app.kubernetes.io/name': chart } },
    matchLabelKeys: ['app.kubernetes.io/instance', 'pod-template-hash'],
  });
  return [spread('topology.kubernetes.io/zone', 'DoNotSchedule'), spread('kubernetes.io/hostname', 'ScheduleAnyway')];
}

const fmt = (x, digits = 2) =>
  Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: digits });
const describeLoad = (load) =>
  load.length === 0
    ? 'no target traffic (decisioning scores in process)'
    : load.map((t) => `${fmt(t.rate)} ${t.unit} x ${t.msPer} ms`).join(' + ');

function valuesFor(s) {
  const header = [
    '# Generated by charts/capacity/capacity.mjs from charts/capacity/{target,measured,model}.json: do not edit.',
    '# Change an input, run `node charts/capacity/capacity.mjs`, commit both; CI runs it with --check.',
    '# Use on top of the chart defaults: helm upgrade --install <release> charts/<chart> -f values-production.yaml',
    "# (plus the deployment's own values: connection URLs, Secrets). Why these numbers: docs/capacity.md.",
    `# Peak: ${describeLoad(s.load)}`,
    `#   = ${fmt(s.cores)} cores -> ${s.pods} pods at <= ${util * 100}% of ${podCpu} CPU each (N+1 zones), HPA up to ${s.maxPods}.`,
  ];
  const values = {
    autoscaling: {
      enabled: true,
      minReplicas: s.pods,
      maxReplicas: s.maxPods,
      targetCPUUtilizationPercentage: Math.round(util * 100),
    },
    resources: {
      requests: { cpu: String(podCpu), memory: quantity(s.requestMiB) },
      limits: { cpu: String(a('policy.podCpuLimit')), memory: quantity(s.limitMiB) },
    },
    env: s.env,
    ...s.values,
    topologySpreadConstraints: spreadConstraints(s.chart),
  };
  return `${header.join('\n')}\n${toYaml(values)}`;
}

/** YAML of plain objects, arrays and scalars, laid out as Prettier lays it out. */
function toYaml(value, indent = '') {
  const scalar = (v) => {
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') throw new Error(`toYaml: ${typeof v}`);
    const plain = /^\w[\w./-]*$/.test(v) && Number.isNaN(Number(v)) && !/^(true|false|null|yes|no|on|off)$/i.test(v);
    return plain ? v : `'${v.replace(/'/g, "''")}'`;
  };
  let out = '';
  for (const [key, v] of Object.entries(value)) {
    if (Array.isArray(v)) {
      out += `${indent}${key}:\n`;
      for (const item of v) {
        if (item !== null && typeof item === 'object') {
          const body = toYaml(item, `${indent}    `);
          out += `${indent}  - ${body.slice(indent.length + 4)}`;
        } else {
          out += `${indent}  - ${scalar(item)}\n`;
        }
      }
    } else if (v !== null && typeof v === 'object') {
      out += Object.keys(v).length === 0 ? `${indent}${key}: {}\n` : `${indent}${key}:\n${toYaml(v, `${indent}  `)}`;
    } else {
      out += `${indent}${key}: ${scalar(v)}\n`;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Tables (Markdown, aligned as Prettier aligns them)

function table(header, rows) {
  const width = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(width[i])).join(' | ')} |`;
  return [line(header), `| ${width.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

const bytes = (b) => {
  if (b >= 2 ** 40) return `${fmt(b / 2 ** 40, 1)} TiB`;
  if (b >= GiB) return `${fmt(b / GiB, 1)} GiB`;
  return `${fmt(b / MiB, 0)} MiB`;
};
const mib = (x) => quantity(x);

function tables() {
  const out = [];
  out.push('### Services (values-production.yaml)', '');
  out.push(
    table(
      [
        'Chart',
        'Load at peak x measured CPU-ms',
        'Cores at peak',
        'Pods (HPA min-max)',
        'CPU per pod (request / limit)',
        'Memory per pod (request / limit)',
        'Production env',
      ],
      services.map((s) => [
        s.chart,
        describeLoad(s.load),
        fmt(s.cores),
        `${s.pods}-${s.maxPods}`,
        `${podCpu} / ${a('policy.podCpuLimit')}`,
        `${mib(s.requestMiB)} / ${mib(s.limitMiB)}`,
        Object.entries(s.env)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
      ])
    )
  );
  const totalPods = services.reduce((sum, s) => sum + s.pods, 0);
  const totalCpu = totalPods * podCpu;
  const totalMemory = services.reduce((sum, s) => sum + s.pods * s.requestMiB, 0);
  out.push(
    '',
    `Services at peak: ${totalPods} pods, ${totalCpu} CPU and ${bytes(totalMemory * MiB)} of memory requested ` +
      `(${fmt(services.reduce((sum, s) => sum + s.cores, 0))} cores busy).`,
    ''
  );

  out.push(`### NATS (official chart, ${nats.nodes} nodes, R${R} streams)`, '');
  out.push(
    table(
      ['Stream', 'One message per', 'Peak msg/s', 'Bytes per message', 'Retention', 'Stored per node (mean rate)'],
      [
        ...streams.map((s) => [
          s.name,
          s.per,
          fmt(Math.round(s.peak)),
          fmt(s.bytes),
          `${s.retentionDays} d`,
          bytes(s.storedBytes),
        ]),
        ['others', 'SCORE_LOG, ERASURES, KV, models', '', '', '', bytes(a('assumption.otherStreamsGiB') * GiB)],
        ['total', '', '', '', '', bytes(nats.storageBytes)],
      ]
    )
  );
  out.push(
    '',
    table(
      ['Per node', 'Sized from', 'Value'],
      [
        [
          'CPU busy at peak',
          `(${describeLoad(natsLoad)}) x R3 factor ${a('assumption.natsR3Factor')}`,
          `${fmt(nats.cores, 1)} cores`,
        ],
        ['CPU request', `busy / ${util}`, `${nats.cpuRequest}`],
        [
          'Memory working set',
          `${fmt(Math.round(nats.windowMessages))} messages in duplicate windows x ${m('nats.rssBytesPerWindowedMessage')} B`,
          bytes(nats.workingBytes),
        ],
        ['Memory request = limit', `working set / ${a('policy.nats.memoryWorkingSet')}`, `${nats.memoryGiB}Gi`],
        ['GOMEMLIMIT', '80% of the limit', `${nats.gomemlimitGiB}GiB`],
        ['JetStream volume (PVC)', `stored / ${a('policy.nats.diskFill')}`, `${nats.pvcTiB}Ti`],
        ['max_file_store', '95% of the volume', `${nats.maxFileStoreTiB}Ti`],
      ]
    )
  );
  out.push(
    '',
    'For the official chart (nats-io/k8s `nats`, 1.x values layout):',
    '',
    '```yaml',
    toYaml({
      config: {
        cluster: { enabled: true, replicas: nats.nodes },
        jetstream: {
          enabled: true,
          fileStore: { pvc: { size: `${nats.pvcTiB}Ti` }, maxSize: `${nats.maxFileStoreTiB}Ti` },
        },
      },
      container: {
        env: { GOMEMLIMIT: `${nats.gomemlimitGiB}GiB` },
        merge: {
          resources: {
            requests: { cpu: String(nats.cpuRequest), memory: `${nats.memoryGiB}Gi` },
            limits: { memory: `${nats.memoryGiB}Gi` },
          },
        },
      },
    }).trimEnd(),
    '```',
    ''
  );

  out.push('### Redis', '');
  out.push(
    table(
      ['Cluster', 'Holds', 'Keys or entries', 'Bytes each', 'Memory'],
      redis.flatMap((r) => [
        ...r.parts.map((p) => [r.name, p.what, fmt(Math.round(p.count)), fmt(p.bytes), bytes(p.count * p.bytes)]),
        [r.name, 'total', '', '', bytes(r.dataBytes)],
      ])
    )
  );
  out.push(
    '',
    table(
      [
        'Cluster',
        'CPU busy at peak',
        'Shards by memory / by CPU',
        'Primaries + replicas',
        'Per pod',
        'maxmemory-policy',
      ],
      redis.map((r) => [
        r.name,
        `${describeLoad(r.load)} = ${fmt(r.cores, 1)} cores`,
        `${r.byMemory} / ${r.byCpu}`,
        `${r.shards} + ${r.shards * a('policy.redis.replicasPerShard')} = ${r.pods} pods`,
        `maxmemory ${r.maxmemoryGiB}gb, memory ${r.podMemoryGiB}Gi, CPU 1 / 2`,
        r.eviction,
      ])
    )
  );
  out.push(
    '',
    'Both as Redis Cluster, one replica per primary in another zone; per pod `maxmemory` and memory as above, ' +
      `\`maxmemory-policy noeviction\`. Both clusters' keys carry the hash tag of something a tenant has many of, ` +
      'so one tenant spreads over every shard: the caps cluster one subscriber, one campaign or one offer ' +
      '(services/decisioning/src/campaigns/keys.ts), the features cluster one of 16,384 entity groups, 32 aggregate ' +
      'shards or 256 segment shards (libs/features/src/keys.ts, segments.ts). Not yet the identity graph: it is one ' +
      'slot per tenant (see Limits found).',
    ''
  );

  out.push('### Trainer (charts/trainer: a CronJob per trained tenant)', '');
  {
    const tenants = a('assumption.trainedTenants');
    const minutes = m('trainer.minutesPerRun');
    const peak = m('trainer.peakRssMiB');
    out.push(
      table(
        ['Runs a night', 'Each (1 M interactions, 20,000 items)', 'Pod', 'Node time a night'],
        [
          [
            fmt(tenants),
            `${fmt(minutes, 1)} min, peak ${fmt(peak)} MiB`,
            `CPU 2, memory ${quantity(roundMiB(peak / headroom))} (the chart's default: 4Gi)`,
            `${fmt(tenants * minutes, 0)} min of 2 cores`,
          ],
        ]
      ),
      '',
      'A tenant with more items than 20,000 gets item-kNN tables only; one with tens of millions of interactions ' +
        'outgrows one pod: services/trainer/README.md, "Past one machine". Decisioning holds every trained ' +
        `tenant's tables: ${fmt(tenants)} x ${fmt(a('assumption.tableMiBPerTrainedTenant'))} MiB of its memory above.`,
      ''
    );
  }

  out.push('### Inputs used', '');
  out.push(
    table(
      ['Input', 'Kind', 'Value', 'Source (run in measured.json, or why in model.json)'],
      [
        ['target.profiles', 'target', fmt(profiles), 'docs/design.md, Scale we size for'],
        ['target.eventsPerSecond', 'target', fmt(events), 'docs/design.md, Scale we size for'],
        ['target.recommendPerSecond', 'target', fmt(recommends), 'docs/design.md, Scale we size for'],
        ['target.decidePerSecond', 'target', fmt(decides), 'docs/design.md, Scale we size for'],
        ['target.triggeredDecisionsPerSecond', 'target', fmt(triggers), 'docs/design.md, Scale we size for'],
        ...[...used]
          .sort(([x], [y]) => x.localeCompare(y))
          .map(([id, u]) => [id, u.kind, fmt(u.value, 4), u.source || 'model.json']),
      ]
    )
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Write or check

const BEGIN = '<!-- capacity.mjs: generated from charts/capacity, do not edit; node charts/capacity/capacity.mjs -->';
const END = '<!-- /capacity.mjs -->';
const summary = tables();

const outputs = services.map((s) => ({
  path: join(root, 'charts', s.chart, 'values-production.yaml'),
  text: valuesFor(s),
}));
const docPath = join(root, 'docs', 'capacity.md');
const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
const begin = doc.indexOf(BEGIN);
const end = doc.indexOf(END);
if (begin < 0 || end < begin) {
  process.stderr.write(`capacity.mjs: ${relative(root, docPath)} needs the markers\n  ${BEGIN}\n  ${END}\n`);
  process.exit(1);
}
outputs.push({ path: docPath, text: `${doc.slice(0, begin + BEGIN.length)}\n\n${summary}\n\n${doc.slice(end)}` });

/** The first lines where two texts differ, as -/+ pairs. */
function diff(before, after) {
  const x = before.split('\n');
  const y = after.split('\n');
  const lines = [];
  for (let i = 0; i < Math.max(x.length, y.length) && lines.length < 40; i++) {
    if (x[i] === y[i]) continue;
    if (x[i] !== undefined) lines.push(`  line ${i + 1} - ${x[i]}`);
    if (y[i] !== undefined) lines.push(`  line ${i + 1} + ${y[i]}`);
  }
  return lines.join('\n');
}

let stale = 0;
for (const { path, text } of outputs) {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (current === text) continue;
  if (check) {
    stale++;
    process.stderr.write(
      current === null
        ? `capacity: ${relative(root, path)} is missing\n`
        : `capacity: ${relative(root, path)} differs from what the inputs give (- file, + computed):\n${diff(current, text)}\n`
    );
  } else {
    writeFileSync(path, text);
    process.stdout.write(`wrote ${relative(root, path)}\n`);
  }
}
if (check) {
  if (stale > 0) {
    process.stderr.write(
      `capacity: ${stale} file(s) out of date: run node charts/capacity/capacity.mjs and commit the result\n`
    );
    process.exit(1);
  }
  process.stdout.write(
    `capacity: values-production.yaml of ${services.length} charts and docs/capacity.md match the model\n`
  );
} else {
  process.stdout.write(`\n${summary}\n`);
}
