import { intEnv, urlListEnv } from '@dmp/runtime';

export interface ScoringConfig {
  /** NATS server URL(s), comma separated. */
  natsUrl: string;
  /** ONNX Runtime threads per inference; match the pod's CPU request. */
  intraOpThreads: number;
  /** Models that must be warm before the service reports SERVING; empty: any one. */
  requiredModels: string[];
  /** Replicas of the SCORE_LOG stream (shadow scores): 1 on a dev machine, 3 in production. */
  streamReplicas: number;
}

export function loadConfig(env: NodeJS.ProcessEnv): ScoringConfig {
  return {
    natsUrl: urlListEnv(env, 'NATS_URL', ['nats', 'tls']),
    intraOpThreads: intEnv(env, 'ORT_INTRA_OP_THREADS', 1, { min: 1, max: 64 }),
    requiredModels: (env['SCORING_REQUIRED_MODELS'] ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    streamReplicas: intEnv(env, 'SCORE_LOG_STREAM_REPLICAS', 1, { min: 1, max: 5 }),
  };
}
