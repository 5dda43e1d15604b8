import { intEnv, stringEnv, urlListEnv } from '@dmp/runtime';

export interface ScoringConfig {
  /** NATS server URL(s), comma separated. */
  natsUrl: string;
  /** The .onnx file to serve; its metadata sits next to it as <name>.json. */
  modelPath: string;
  /** ONNX Runtime threads per inference; match the pod's CPU request. */
  intraOpThreads: number;
}

export function loadConfig(env: NodeJS.ProcessEnv): ScoringConfig {
  return {
    natsUrl: urlListEnv(env, 'NATS_URL', ['nats', 'tls']),
    modelPath: stringEnv(env, 'MODEL_PATH'),
    intraOpThreads: intEnv(env, 'ORT_INTRA_OP_THREADS', 1, { min: 1, max: 64 }),
  };
}
