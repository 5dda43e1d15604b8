/**
 * What each service may publish and subscribe to on NATS, for nats-server users with permissions (one user per
 * service; the CLI and operators use an admin user). A service publishes only the subjects of the streams it
 * writes and the KV buckets it changes, and uses the JetStream API only on the streams it writes or reads,
 * never to delete or purge a stream (the feature store purges one subject's messages on erasure) nor the
 * server's own API.
 *
 * Kept as data so that the test servers and the NATS chart values are made from the same lists.
 */
export type ServiceUser = 'event-intake' | 'feature-store' | 'scoring' | 'decisioning' | 'delivery';

interface Permissions {
  publish: { allow: string[]; deny: string[] };
  subscribe: { allow: string[] };
}

/**
 * The streams whose JetStream API each service uses (ensuring them, consuming them, reading KV buckets and
 * object stores through them): on every other stream it can neither read nor create anything. Every service
 * also follows the tenants and the API keys, and appends to AUDIT.
 */
const COMMON_STREAMS = ['KV_dmp_tenants', 'KV_dmp_api_keys', 'AUDIT'];
const STREAMS: Record<ServiceUser, string[]> = {
  'event-intake': ['EVENTS', 'FAILED_EVENTS', 'KV_dmp_event_types'],
  // Erasure purges the subject's messages in the streams that hold them (subjectMessageFilters).
  'feature-store': [
    'EVENTS',
    'FEATURE_LOG',
    'DECISION_LOG',
    'DELIVERIES',
    'DEAD_DELIVERIES',
    'SEGMENT_CHANGES',
    'ERASURES',
    'KV_dmp_feature_sets',
    'KV_dmp_feature_builds',
    'KV_dmp_segments',
    'KV_dmp_segment_refresh',
    'KV_dmp_partition_leases',
  ],
  scoring: ['SCORE_LOG', 'KV_dmp_models', 'OBJ_dmp_model_bytes'],
  decisioning: [
    'EVENTS',
    'FEATURE_LOG',
    'SCORE_LOG',
    'DECISION_LOG',
    'DELIVERIES',
    // Erases its own state about the profiles the feature store erases.
    'ERASURES',
    'KV_dmp_recommend_rules',
    'KV_dmp_feature_sets',
    'KV_dmp_feature_builds',
    'KV_dmp_campaigns',
    'KV_dmp_contact_policies',
    'KV_dmp_segments',
    'KV_dmp_models',
    'OBJ_dmp_model_bytes',
    'KV_dmp_partition_leases',
  ],
  delivery: ['DELIVERIES', 'DEAD_DELIVERIES'],
};

/** The JetStream API subjects of one stream: its info, creation and updates, consumers, fetches, gets. */
const streamApi = (stream: string): string[] => [
  `$JS.API.STREAM.*.${stream}`,
  `$JS.API.STREAM.MSG.GET.${stream}`,
  `$JS.API.CONSUMER.*.${stream}`,
  `$JS.API.CONSUMER.*.${stream}.>`,
  `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.>`,
  `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
  `$JS.API.DIRECT.GET.${stream}`,
  `$JS.API.DIRECT.GET.${stream}.>`,
];

/** Streams each service writes to (their subjects), and the KV buckets it changes. */
const WRITES: Record<ServiceUser, { subjects: string[]; buckets: string[]; purges?: boolean }> = {
  'event-intake': { subjects: ['events.v1.>', 'failed.v1.>'], buckets: ['dmp_event_types'] },
  'feature-store': {
    subjects: ['segments.v1.>', 'erasures.v1.>'],
    buckets: [
      'dmp_feature_sets',
      'dmp_feature_builds',
      'dmp_segments',
      'dmp_segment_refresh',
      'dmp_partition_leases',
      'dmp_tenants',
      'dmp_api_keys',
    ],
    purges: true,
  },
  scoring: { subjects: ['scorelog.v1.>'], buckets: [] },
  decisioning: {
    subjects: ['featurelog.v1.>', 'scorelog.v1.>', 'decisionlog.v1.>', 'deliveries.v1.>'],
    buckets: ['dmp_recommend_rules', 'dmp_campaigns', 'dmp_contact_policies', 'dmp_partition_leases'],
  },
  delivery: { subjects: ['deliveries-dead.v1.>'], buckets: [] },
};

export function servicePermissions(service: ServiceUser): Permissions {
  const writes = WRITES[service];
  return {
    publish: {
      allow: [
        ...writes.subjects,
        'audit.v1.>',
        ...writes.buckets.map((bucket) => `$KV.${bucket}.>`),
        `dmp.presence.v1.${service}`,
        // The JetStream API of its streams only (see STREAMS), the account's info, acks and flow control.
        '$JS.API.INFO',
        '$JS.API.STREAM.NAMES',
        ...[...COMMON_STREAMS, ...STREAMS[service]].flatMap(streamApi),
        '$JS.ACK.>',
        '$JS.FC.>',
        '_INBOX.>',
      ],
      deny: [
        '$JS.API.STREAM.DELETE.>',
        ...(writes.purges ? [] : ['$JS.API.STREAM.PURGE.>']),
        '$JS.API.STREAM.MSG.DELETE.>',
        '$JS.API.ACCOUNT.PURGE.>',
        '$JS.API.META.>',
        '$JS.API.SERVER.>',
      ],
    },
    subscribe: { allow: ['_INBOX.>', `dmp.presence.v1.${service}`] },
  };
}

export const SERVICE_USERS: readonly ServiceUser[] = Object.keys(WRITES) as ServiceUser[];

/**
 * The `authorization` block of a nats-server configuration: a user per service with its permissions, and an
 * admin user (the CLI, operators, bootstrap jobs) with all of them. Passwords come from the caller (Secrets).
 */
export function natsAuthorizationConfig(passwords: Record<ServiceUser | 'admin', string>): string {
  const quote = (text: string): string => JSON.stringify(text);
  const list = (items: string[]): string => `[${items.map(quote).join(', ')}]`;
  const users = SERVICE_USERS.map((service) => {
    const { publish, subscribe } = servicePermissions(service);
    return (
      `    { user: ${quote(service)}, password: ${quote(passwords[service])}, permissions: {\n` +
      `        publish: { allow: ${list(publish.allow)}, deny: ${list(publish.deny)} }\n` +
      `        subscribe: { allow: ${list(subscribe.allow)} } } }`
    );
  });
  users.push(`    { user: "admin", password: ${quote(passwords.admin)} }`);
  return `authorization {\n  users: [\n${users.join('\n')}\n  ]\n}\n`;
}
