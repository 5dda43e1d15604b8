import { getCountries, type CountryCode } from 'libphonenumber-js/min';

import { DEFAULT_EVENT_PARTITIONS } from '@dmp/messaging';
import { ConfigError, intEnv, stringEnv, urlListEnv } from '@dmp/runtime';

import { parseHmacKeys, type HmacKey } from './identities';

export interface IntakeConfig {
  /** NATS server URL(s), comma separated. */
  natsUrl: string;
  /** Replicas of the EVENTS and FAILED_EVENTS streams: 1 on a dev machine, 3 in production. */
  streamReplicas: number;
  /**
   * Partitions of EVENTS, when intake creates the stream (fixed from then on): the most feature store
   * replicas that can share the work.
   */
  eventPartitions: number;
  /** How long one publish waits for JetStream's acknowledgement before it is retried. */
  publishTimeoutMs: number;
  /** Port of the HTTP/JSON door (POST /v1/events); 0 picks a free one. */
  httpPort: number;
  /** Keys for the HMAC of phone numbers and emails; the first is current. From a secret, never a default. */
  hmacKeys: HmacKey[];
  /** Region assumed for phone numbers written without a country code (e.g. RU); none: they need a +. */
  defaultPhoneRegion?: CountryCode;
  /** Events per second a tenant may send to one replica, unless its tenant record says otherwise. */
  tenantEventsPerSecond: number;
  /** Events this replica may have in flight to JetStream before it answers RESOURCE_EXHAUSTED. */
  maxInFlightEvents: number;
}

export function loadConfig(env: NodeJS.ProcessEnv): IntakeConfig {
  let hmacKeys: HmacKey[];
  try {
    hmacKeys = parseHmacKeys(stringEnv(env, 'IDENTITY_HMAC_KEYS'));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('IDENTITY_HMAC_KEYS', (error as Error).message);
  }
  const region = env['DEFAULT_PHONE_REGION']?.trim() ?? '';
  if (region !== '' && !getCountries().includes(region as CountryCode)) {
    throw new ConfigError('DEFAULT_PHONE_REGION', `must be an ISO 3166-1 alpha-2 code such as RU, got "${region}"`);
  }
  return {
    natsUrl: urlListEnv(env, 'NATS_URL', ['nats', 'tls']),
    streamReplicas: intEnv(env, 'EVENTS_STREAM_REPLICAS', 1, { min: 1, max: 5 }),
    eventPartitions: intEnv(env, 'EVENTS_PARTITIONS', DEFAULT_EVENT_PARTITIONS, { min: 1, max: 1_024 }),
    publishTimeoutMs: intEnv(env, 'PUBLISH_TIMEOUT_MS', 2_000, { min: 100, max: 60_000 }),
    httpPort: intEnv(env, 'HTTP_PORT', 8080, { min: 0, max: 65535 }),
    hmacKeys,
    ...(region !== '' && { defaultPhoneRegion: region as CountryCode }),
    tenantEventsPerSecond: intEnv(env, 'TENANT_EVENTS_PER_SECOND', 50_000, { min: 1 }),
    maxInFlightEvents: intEnv(env, 'MAX_IN_FLIGHT_EVENTS', 50_000, { min: 1_000 }),
  };
}
