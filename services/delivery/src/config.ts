import { ConfigError, intEnv, stringEnv, urlListEnv } from '@dmp/runtime';

export interface DeliveryConfig {
  natsUrl: string;
  /** The delivery ledger's Redis: one that never evicts (a forgotten "sent" could send twice). */
  redisUrl: string;
  /** Where each channel's offers are POSTed; "*" is every channel without its own. */
  webhookUrls: ReadonlyMap<string, string>;
  /** HMAC-SHA256 key of the X-DMP-Signature header; gateways verify it. */
  webhookSecret: string;
  webhookTimeoutMs: number;
  /** Attempts before an offer goes to DEAD_DELIVERIES. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Offers sent at once per replica. */
  concurrency: number;
  /** The lease of an offer in hand: unacked this long (a crash), JetStream redelivers it. Above the webhook timeout. */
  ackWaitSeconds: number;
  /** event-intake, where the delivered/failed status events go. */
  intakeAddress: string;
  /** Delivery's own key for intake: tenant "*", scope ingest (status events of every tenant). */
  apiKey: string;
  /** Replicas of the DEAD_DELIVERIES stream: 1 on a dev machine, 3 in production. */
  streamReplicas: number;
}

export function loadConfig(env: NodeJS.ProcessEnv): DeliveryConfig {
  const config: DeliveryConfig = {
    natsUrl: urlListEnv(env, 'NATS_URL', ['nats', 'tls']),
    redisUrl: urlListEnv(env, 'REDIS_URL', ['redis', 'rediss']),
    webhookUrls: parseWebhookUrls(stringEnv(env, 'WEBHOOK_URLS', '')),
    webhookSecret: stringEnv(env, 'WEBHOOK_SECRET'),
    webhookTimeoutMs: intEnv(env, 'WEBHOOK_TIMEOUT_MS', 5_000, { min: 100, max: 20_000 }),
    maxAttempts: intEnv(env, 'DELIVERY_MAX_ATTEMPTS', 8, { min: 1, max: 100 }),
    retryBaseMs: intEnv(env, 'DELIVERY_RETRY_BASE_MS', 1_000, { min: 1, max: 600_000 }),
    retryMaxMs: intEnv(env, 'DELIVERY_RETRY_MAX_MS', 300_000, { min: 1, max: 86_400_000 }),
    concurrency: intEnv(env, 'DELIVERY_CONCURRENCY', 64, { min: 1, max: 10_000 }),
    ackWaitSeconds: intEnv(env, 'DELIVERY_ACK_WAIT_S', 30, { min: 1, max: 3_600 }),
    intakeAddress: stringEnv(env, 'INTAKE_ADDR', '127.0.0.1:50051'),
    apiKey: stringEnv(env, 'DMP_API_KEY'),
    streamReplicas: intEnv(env, 'DELIVERY_STREAM_REPLICAS', 1, { min: 1, max: 5 }),
  };
  // A lease shorter than a POST may take would let a second replica post the same offer meanwhile.
  if (config.ackWaitSeconds * 1000 <= config.webhookTimeoutMs)
    throw new ConfigError('DELIVERY_ACK_WAIT_S', 'must be longer than WEBHOOK_TIMEOUT_MS');
  return config;
}

/** `sms=https://gw/sms,*=https://gw/any`: channel → URL; one bare URL is every channel's. */
export function parseWebhookUrls(text: string): Map<string, string> {
  const urls = new Map<string, string>();
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = part.indexOf('=');
    const [channel, url] =
      at > 0 && !part.slice(0, at).includes(':') ? [part.slice(0, at), part.slice(at + 1)] : ['*', part];
    if (!/^https?:\/\//.test(url)) throw new ConfigError('WEBHOOK_URLS', `has "${url}", which is not an http(s) URL`);
    urls.set(channel, url);
  }
  return urls;
}
