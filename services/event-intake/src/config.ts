import { intEnv, urlListEnv } from '@dmp/runtime';

export interface IntakeConfig {
  /** NATS server URL(s), comma separated. */
  natsUrl: string;
  /** Replicas of the EVENTS stream: 1 on a dev machine, 3 in production. */
  streamReplicas: number;
  /** How long one publish waits for JetStream's acknowledgement before it is retried. */
  publishTimeoutMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv): IntakeConfig {
  return {
    natsUrl: urlListEnv(env, 'NATS_URL', ['nats', 'tls']),
    streamReplicas: intEnv(env, 'EVENTS_STREAM_REPLICAS', 1, { min: 1, max: 5 }),
    publishTimeoutMs: intEnv(env, 'PUBLISH_TIMEOUT_MS', 2_000, { min: 100, max: 60_000 }),
  };
}
